// Reading typed values out of AST expressions: constant arithmetic, booleans, choices, lists, pairs. Each
// reader reports a diagnostic at the offending value and returns undefined, so lowering can go on and
// report further problems in the same pass.
import { MAX_LIST_VALUES, type Diagnostic } from '@bnx/ir';
import type { Expr } from './ast.js';
import { dslError, type DslDiagnosticCode } from './codes.js';
import { didYouMean } from './suggest.js';

/** Lists, ranges and repeats longer than this are errors rather than something to expand. */
export const MAX_EXPANSION = MAX_LIST_VALUES;

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  error(code: DslDiagnosticCode, message: string, range: Diagnostic['range'] & object, hint?: string): undefined {
    this.list.push(dslError(code, message, range, hint));
    return undefined;
  }
}

/** An expression as it reads in canonical form (`adam(lr: 1e-3)`): how a call in a sweep is named in reports. */
export function exprSource(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return expr.text;
    case 'string':
      return JSON.stringify(expr.value);
    case 'name':
      return expr.name;
    case 'list':
      return `[${expr.items.map(exprSource).join(', ')}]`;
    case 'call':
      return `${expr.callee}(${expr.args.map((a) => (a.name === undefined ? '' : `${a.name}: `) + exprSource(a.value)).join(', ')})`;
    case 'binary':
      return `${exprSource(expr.left)} ${expr.op} ${exprSource(expr.right)}`;
    case 'negate':
      return `-${exprSource(expr.operand)}`;
    default:
      return describeExpr(expr);
  }
}

export function describeExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return expr.text;
    case 'string':
      return JSON.stringify(expr.value);
    case 'name':
      return `'${expr.name}'`;
    case 'list':
      return 'a list';
    case 'call':
      return `'${expr.callee}(...)'`;
    case 'range':
      return 'a range';
    case 'with':
      return "a 'with' transform";
    case 'compare':
      return 'a comparison';
    default:
      return 'an expression';
  }
}

/** True when the expression is arithmetic on numbers only (a constant). */
function isArithmetic(expr: Expr): boolean {
  if (expr.kind === 'number') return true;
  if (expr.kind === 'negate') return isArithmetic(expr.operand);
  if (expr.kind === 'binary') return isArithmetic(expr.left) && isArithmetic(expr.right);
  return false;
}

function evaluate(expr: Expr): number {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'negate':
      return -evaluate(expr.operand);
    case 'binary': {
      const left = evaluate(expr.left);
      const right = evaluate(expr.right);
      if (expr.op === '+') return left + right;
      if (expr.op === '-') return left - right;
      if (expr.op === '*') return left * right;
      return left / right;
    }
    default:
      return Number.NaN;
  }
}

export function readNumber(d: Diagnostics, expr: Expr, what: string): number | undefined {
  if (!isArithmetic(expr)) return d.error('E0107', `${what} must be a number; it is ${describeExpr(expr)}`, expr.range);
  const value = evaluate(expr);
  if (!Number.isFinite(value)) return d.error('E0113', `${what} has no finite value (${value})`, expr.range);
  return value;
}

export function readBoolean(d: Diagnostics, expr: Expr, what: string): boolean | undefined {
  if (expr.kind === 'name' && (expr.name === 'true' || expr.name === 'false')) return expr.name === 'true';
  return d.error('E0107', `${what} must be true or false; it is ${describeExpr(expr)}`, expr.range);
}

export function readString(d: Diagnostics, expr: Expr, what: string): string | undefined {
  if (expr.kind === 'string') return expr.value;
  return d.error('E0107', `${what} must be a string in double quotes; it is ${describeExpr(expr)}`, expr.range);
}

/** The name as written when `expr` is names joined by '-' (`fashion-mnist` parses as fashion minus mnist). */
export function hyphenatedName(expr: Expr): string | undefined {
  if (expr.kind === 'name') return expr.name;
  if (expr.kind !== 'binary' || expr.op !== '-') return undefined;
  const left = hyphenatedName(expr.left);
  const right = hyphenatedName(expr.right);
  return left === undefined || right === undefined ? undefined : `${left}-${right}`;
}

/**
 * E0114 for a name written with '-' where one of `choices` is wanted, with the choice it most likely means
 * (`fashion-mnist` → fashion_mnist); undefined when `expr` is not such a name.
 */
export function hyphenatedChoice(d: Diagnostics, expr: Expr, what: string, choices: readonly string[]): { reported: true } | undefined {
  const written = expr.kind === 'binary' ? hyphenatedName(expr) : undefined;
  if (written === undefined) return undefined;
  const hint = didYouMean(written.replace(/-/g, '_'), choices) ?? didYouMean(written, choices);
  d.error('E0114', `unknown ${what} '${written}': a name cannot contain '-' (it reads as a subtraction)`, expr.range, hint);
  return { reported: true };
}

/** A bare name that must be one of `choices`. */
export function readChoice<T extends string>(d: Diagnostics, expr: Expr, what: string, choices: readonly T[]): T | undefined {
  if (hyphenatedChoice(d, expr, what, choices) !== undefined) return undefined;
  if (expr.kind !== 'name') return d.error('E0107', `${what} must be one of ${choices.join(', ')}; it is ${describeExpr(expr)}`, expr.range);
  if ((choices as readonly string[]).includes(expr.name)) return expr.name as T;
  return d.error('E0114', `unknown ${what} '${expr.name}'; it must be one of ${choices.join(', ')}`, expr.range, didYouMean(expr.name, choices));
}

/** The items of a list, or of a single value written without brackets. */
export function listItems(expr: Expr): Expr[] {
  return expr.kind === 'list' ? expr.items : [expr];
}

/** `3` → [3, 3]; `[3, 5]` → [3, 5]. */
export function readPair(d: Diagnostics, expr: Expr, what: string): [number, number] | undefined {
  if (expr.kind === 'list') {
    if (expr.items.length !== 2) return d.error('E0107', `${what} must be a number or a list of two numbers; it has ${expr.items.length} items`, expr.range);
    const a = readNumber(d, expr.items[0]!, what);
    const b = readNumber(d, expr.items[1]!, what);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const n = readNumber(d, expr, what);
  return n === undefined ? undefined : [n, n];
}

/** A number, or a list of numbers (per-channel values). */
export function readNumberOrList(d: Diagnostics, expr: Expr, what: string): number | number[] | undefined {
  if (expr.kind !== 'list') return readNumber(d, expr, what);
  return readNumberList(d, expr, what);
}

export function readNumberList(d: Diagnostics, expr: Expr, what: string): number[] | undefined {
  const values = listItems(expr).map((item) => readNumber(d, item, what));
  return values.every((v): v is number => v !== undefined) ? values : undefined;
}

/** An integer range `a..b` (inclusive) or a list of numbers; `seeds: 1..3` and `seeds: [1, 2, 3]` agree. */
export function readNumbersOrRange(d: Diagnostics, expr: Expr, what: string): number[] | undefined {
  if (expr.kind !== 'range') {
    const count = listItems(expr).length;
    if (count > MAX_EXPANSION) return d.error('E0115', `${what} has ${count} values; at most ${MAX_EXPANSION} are allowed`, expr.range);
    return readNumberList(d, expr, what);
  }
  const from = readNumber(d, expr.from, `the start of ${what}`);
  const to = readNumber(d, expr.to, `the end of ${what}`);
  if (from === undefined || to === undefined) return undefined;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
    return d.error('E0107', `a range takes whole numbers; ${what} is ${from}..${to}`, expr.range);
  }
  if (to < from) return d.error('E0107', `${what} ${from}..${to} is empty: its end is below its start`, expr.range);
  if (to - from + 1 > MAX_EXPANSION) {
    return d.error('E0115', `${what} ${from}..${to} has ${to - from + 1} values; at most ${MAX_EXPANSION} are allowed`, expr.range);
  }
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
