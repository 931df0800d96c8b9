// Binds a call's arguments to parameter names: positional ones first, in order, then named ones.
import type { SourceRange } from '@bnx/ir';
import type { Expr } from './ast.js';
import { didYouMean } from './suggest.js';
import type { Diagnostics } from './values.js';

export interface CallSpec {
  /** Parameter names that may be given by position, in order. */
  positional: readonly string[];
  /** Every parameter name (positional ones included). */
  named: readonly string[];
  /** Parameters without a default. */
  required?: readonly string[];
}

export type BoundArgs = Map<string, Expr>;

/** `name(...)` or a bare `name`, which is a call without arguments. */
export function callArgs(expr: Expr): { callee: string; calleeRange: SourceRange; args: Extract<Expr, { kind: 'call' }>['args'] } | undefined {
  if (expr.kind === 'call') return { callee: expr.callee, calleeRange: expr.calleeRange, args: expr.args };
  if (expr.kind === 'name') return { callee: expr.name, calleeRange: expr.range, args: [] };
  return undefined;
}

export function bindArgs(d: Diagnostics, call: Expr, spec: CallSpec, what: string): BoundArgs {
  const bound: BoundArgs = new Map();
  const parts = callArgs(call);
  if (parts === undefined) return bound;
  let position = 0;
  let sawNamed = false;
  let misplaced = false;
  for (const arg of parts.args) {
    if (arg.name === undefined) {
      if (sawNamed) {
        misplaced = true;
        d.error('E0105', `positional argument after named ones in ${what}: put it first or name it`, arg.range);
        continue;
      }
      const name = spec.positional[position++];
      if (name === undefined) {
        const count = spec.positional.length;
        const takes =
          count === 0 ? 'takes no positional arguments' : `takes ${count} positional argument${count === 1 ? '' : 's'} (${spec.positional.join(', ')})`;
        d.error('E0105', `${what} ${takes}; name the others`, arg.range);
        continue;
      }
      bound.set(name, arg.value);
      continue;
    }
    sawNamed = true;
    const nameRange = arg.nameRange ?? arg.range;
    if (!spec.named.includes(arg.name)) {
      const known = spec.named.length === 0 ? 'it takes no arguments' : `its arguments are ${spec.named.join(', ')}`;
      d.error('E0105', `unknown argument '${arg.name}' for ${what}; ${known}`, nameRange, didYouMean(arg.name, spec.named));
      continue;
    }
    if (bound.has(arg.name)) {
      d.error('E0105', `argument '${arg.name}' is given twice in ${what}`, nameRange);
      continue;
    }
    bound.set(arg.name, arg.value);
  }
  // A misplaced positional argument was probably meant to be a required one: one error is enough.
  for (const name of misplaced ? [] : (spec.required ?? [])) {
    if (!bound.has(name)) d.error('E0106', `${what} needs the argument '${name}'`, call.range);
  }
  return bound;
}

/** IR spellings of argument names that differ from the DSL's; locations are kept under both. */
const IR_FIELD: Record<string, string> = { running_var: 'runningVar', keep_bias: 'keepBias' };

export function fieldRanges(args: BoundArgs): Record<string, SourceRange> {
  const fields: Record<string, SourceRange> = {};
  for (const [name, value] of args) {
    fields[name] = value.range;
    const irName = IR_FIELD[name];
    if (irName !== undefined) fields[irName] = value.range;
  }
  return fields;
}
