// The parts of a run id: `<variant>__<key>=<value>...__seed=<seed>`, with anything outside [A-Za-z0-9._=+-]
// replaced by `_`, so an id is a safe file name. That replacement can make two sweep values one part
// (`sgd(lr: 1/10)` and `sgd(lr: 1*10)`): the validator reports such values (E1210), and plan expansion
// never builds two runs with one id.
import { formatValue } from './format.js';

/** `text` with every character outside [A-Za-z0-9._=+-] replaced by `_`. */
export const idPart = (text: string): string => text.replace(/[^A-Za-z0-9._=+-]/g, '_');

/** The part of a run id that one sweep value makes: `batch=32`, `optimizer=adam_lr__0.001_`. */
export const sweepIdPart = (key: string, value: unknown): string => idPart(`${key}=${formatValue(value)}`);
