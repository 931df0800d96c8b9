import { describe, expect, it } from 'vitest';
import { resultsJsonSchema } from './json-schema.js';

type Node = unknown;
/** Every `$ref` in the document, and every sub-schema that repeats one of the definitions in full. */
function walk(node: Node, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node !== null && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

describe('resultsJsonSchema', () => {
  const schema = resultsJsonSchema();
  const definitions = schema.definitions as Record<string, unknown>;

  it("is plain JSON: TypeBox's markers are gone", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    walk(schema, (n) => expect(Object.getOwnPropertySymbols(n)).toEqual([]));
  });

  it('refers to every definition, and never repeats one in full (a use that differs from it would)', () => {
    const refs = new Set<string>();
    const texts = new Map(Object.entries(definitions).map(([name, d]) => [JSON.stringify(d), name]));
    const repeated: string[] = [];
    walk({ ...schema, definitions: undefined }, (n) => {
      if (typeof n.$ref === 'string') refs.add(n.$ref);
      const name = texts.get(JSON.stringify(n));
      if (name) repeated.push(name);
    });
    for (const [own, d] of Object.entries(definitions)) {
      walk(d, (n) => {
        if (typeof n.$ref === 'string') refs.add(n.$ref);
        const name = texts.get(JSON.stringify(n));
        if (name && name !== own) repeated.push(name);
      });
    }
    expect(repeated).toEqual([]);
    expect([...refs].sort()).toEqual(
      Object.keys(definitions)
        .map((name) => `#/definitions/${name}`)
        .sort(),
    );
  });

  it('checks a run record against #/definitions/run, as runs/<id>.json is', () => {
    expect((schema.properties as { runs: unknown }).runs).toEqual({ type: 'array', items: { $ref: '#/definitions/run' } });
    expect((definitions.run as { required: string[] }).required).toEqual([
      'id',
      'variant',
      'seed',
      'params',
      'status',
      'history',
      'probes',
      'samples_per_second',
    ]);
  });
});
