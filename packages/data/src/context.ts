// Every user-facing data error starts by saying which dataset it is about and where it was declared, then
// names the file or field and what is wrong with it.
import { BnxError } from '@bnx/ir';
import type { DatasetIR } from '@bnx/ir';

export interface DataContext {
  /** e.g. `dataset 'mnist_small' (experiments/mlp.bnx:3:1)`. */
  readonly label: string;
}

export function contextOf(ir: Pick<DatasetIR, 'name' | 'loc'>): DataContext {
  const start = ir.loc?.range.start;
  const where = ir.loc && start ? ` (${ir.loc.range.file}:${start.line}:${start.column})` : '';
  return { label: `dataset '${ir.name}'${where}` };
}

/** Stable codes of the errors @bnx/data raises, so callers and tests can tell them apart. */
export type DataErrorCode =
  | 'E_DATA_MISSING'
  | 'E_DATA_FORMAT'
  | 'E_DATA_MAGIC'
  | 'E_DATA_TRUNCATED'
  | 'E_DATA_COUNT'
  | 'E_DATA_LABEL'
  | 'E_DATA_CSV'
  | 'E_DATA_EMPTY'
  | 'E_DATA_SPLIT'
  | 'E_DATA_PREPROCESS'
  | 'E_DATA_PACKAGE'
  | 'E_DATA_SOURCE';

export function dataError(ctx: DataContext, message: string, code: DataErrorCode): BnxError {
  return new BnxError(`${ctx.label}: ${message}`, code);
}
