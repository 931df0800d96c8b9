// `init: he_normal`, `init: normal(std: 0.01)`, `init: uniform(limit: 0.05)` → an IR Initializer.
import { INITIALIZER_KINDS, type Initializer, type InitializerKind } from '@bnx/ir';
import type { Expr } from './ast.js';
import { bindArgs, callArgs } from './args.js';
import { didYouMean } from './suggest.js';
import { readNumber, describeExpr, type Diagnostics } from './values.js';

// The catalogue is @bnx/ir's; normal and uniform take an argument, the rest none.
const ALL_KINDS: readonly string[] = INITIALIZER_KINDS;
const ARGUMENTLESS: readonly InitializerKind[] = INITIALIZER_KINDS.filter((k) => k !== 'normal' && k !== 'uniform');

export function readInitializer(d: Diagnostics, expr: Expr): Initializer | undefined {
  const call = callArgs(expr);
  if (call === undefined) return d.error('E0107', `init must name an initializer; it is ${describeExpr(expr)}`, expr.range);
  const { callee } = call;
  if (callee === 'normal') {
    const args = bindArgs(d, expr, { positional: ['std'], named: ['std', 'mean'], required: ['std'] }, 'normal(...)');
    const std = args.has('std') ? readNumber(d, args.get('std')!, 'normal std') : undefined;
    const mean = args.has('mean') ? readNumber(d, args.get('mean')!, 'normal mean') : undefined;
    if (std === undefined) return undefined;
    return mean === undefined ? { kind: 'normal', std } : { kind: 'normal', std, mean };
  }
  if (callee === 'uniform') {
    const args = bindArgs(d, expr, { positional: ['limit'], named: ['limit'], required: ['limit'] }, 'uniform(...)');
    const limit = args.has('limit') ? readNumber(d, args.get('limit')!, 'uniform limit') : undefined;
    return limit === undefined ? undefined : { kind: 'uniform', limit };
  }
  if ((ARGUMENTLESS as readonly string[]).includes(callee)) {
    bindArgs(d, expr, { positional: [], named: [] }, callee);
    return { kind: callee as InitializerKind } as Initializer;
  }
  return d.error('E0114', `unknown initializer '${callee}'; the initializers are ${ALL_KINDS.join(', ')}`, call.calleeRange, didYouMean(callee, ALL_KINDS));
}
