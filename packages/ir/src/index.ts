export type * from './types.js';
export { BnxError, isBnxError } from './errors.js';
