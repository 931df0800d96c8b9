// The `key: value` entries of a dataset, train or experiment block, checked against the keys that kind
// allows: unknown keys (with a suggestion), repeated keys and statements that belong elsewhere.
import type { SourceRange } from '@bnx/ir';
import type { Declaration, Expr, Statement } from './ast.js';
import { didYouMean } from './suggest.js';
import { listItems } from './values.js';
import { spanRange } from './visitor.js';
import type { Diagnostics } from './values.js';

export interface Entry {
  value: Expr;
  keyRange: SourceRange;
  range: SourceRange;
}

export interface Entries {
  get(key: string): Entry | undefined;
  /** Statements other than plain entries that the caller asked to keep (variants, sweeps). */
  others: Statement[];
  /** Value ranges by key, for NodeLocation.fields. */
  fields: Record<string, SourceRange>;
}

function statementWord(statement: Statement): string {
  switch (statement.kind) {
    case 'layer':
      return 'a layer';
    case 'repeat':
      return "'repeat'";
    case 'variant':
      return "'variant'";
    case 'sweep':
      return "'sweep'";
    default:
      return `'${statement.key}:'`;
  }
}

export function collectEntries(
  d: Diagnostics,
  decl: Declaration,
  keys: readonly string[],
  keep: readonly Statement['kind'][] = [],
  irNames: Record<string, string> = {},
  /** Keys that may be given on several lines, each adding values (an experiment's `probe:`). */
  repeatable: readonly string[] = [],
): Entries {
  const entries = new Map<string, Entry>();
  const others: Statement[] = [];
  const fields: Record<string, SourceRange> = {};
  for (const statement of decl.body) {
    if (keep.includes(statement.kind)) {
      others.push(statement);
      continue;
    }
    if (statement.kind !== 'entry') {
      const allowed = keep.length > 0 ? `entries 'key: value' and ${keep.map((k) => `'${k}'`).join(', ')}` : "entries 'key: value'";
      d.error('E0111', `${statementWord(statement)} does not belong in a ${decl.kind} block, which holds ${allowed}`, statement.range);
      continue;
    }
    if (!keys.includes(statement.key)) {
      d.error(
        'E0104',
        `unknown ${decl.kind} entry '${statement.key}'; the entries are ${keys.join(', ')}`,
        statement.keyRange,
        didYouMean(statement.key, keys),
      );
      continue;
    }
    const previous = entries.get(statement.key);
    if (previous !== undefined && repeatable.includes(statement.key)) {
      // Several lines act as one list: `probe: grad_norm` then `probe: bn_stats`.
      const items = [...listItems(previous.value), ...listItems(statement.value)];
      const range = spanRange(previous.value.range, statement.value.range);
      entries.set(statement.key, { ...previous, value: { kind: 'list', items, range } });
      continue;
    }
    if (previous !== undefined) {
      d.error(
        'E0108',
        `'${statement.key}' is given twice in ${decl.kind} '${decl.name}' (first at ${previous.keyRange.start.line}:${previous.keyRange.start.column})`,
        statement.keyRange,
      );
      continue;
    }
    entries.set(statement.key, { value: statement.value, keyRange: statement.keyRange, range: statement.range });
    fields[statement.key] = statement.value.range;
    const irName = irNames[statement.key];
    if (irName !== undefined) fields[irName] = statement.value.range;
  }
  return { get: (key) => entries.get(key), others, fields };
}

export function requireEntry(d: Diagnostics, decl: Declaration, entries: Entries, key: string, example: string): Entry | undefined {
  const entry = entries.get(key);
  if (entry === undefined) d.error('E0106', `${decl.kind} '${decl.name}' needs a '${key}:' entry, such as ${example}`, decl.nameRange);
  return entry;
}
