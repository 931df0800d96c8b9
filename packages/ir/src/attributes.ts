// Checks a layer's attributes against the op catalogue: ranges, enum values, booleans, initializers.
import { diagnostic } from './codes.js';
import { fieldRange, formatValue } from './format.js';
import { initializerProblem } from './initializers.js';
import type { AttrSpec } from './ops.js';
import { opSpec } from './ops.js';
import { rangeProblem } from './ranges.js';
import type { Diagnostic, Layer } from './types.js';

export function attrProblem(op: string, attr: AttrSpec, value: unknown): { message: string; hint?: string } | undefined {
  const what = `${op} ${attr.dsl}`;
  switch (attr.type) {
    case 'int':
    case 'number': {
      const problem = attr.range ? rangeProblem(value, attr.range) : typeof value === 'number' ? undefined : `must be a number; it is ${formatValue(value)}`;
      return problem === undefined ? undefined : { message: `${what} ${problem}` };
    }
    case 'int_pair': {
      if (!Array.isArray(value) || value.length !== 2) {
        return { message: `${what} must be one whole number or two (height, width); it is ${formatValue(value)}` };
      }
      for (const element of value) {
        const problem = attr.range ? rangeProblem(element, attr.range) : undefined;
        if (problem !== undefined) return { message: `${what} ${problem}` };
      }
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : { message: `${what} must be true or false; it is ${formatValue(value)}` };
    case 'enum':
      return typeof value === 'string' && (attr.values ?? []).includes(value)
        ? undefined
        : { message: `${what} must be one of ${(attr.values ?? []).join(', ')}; it is ${formatValue(value)}` };
    case 'initializer': {
      if (value === null) return undefined;
      const problem = initializerProblem(value);
      return problem === undefined ? undefined : { ...problem, message: `${what}: ${problem.message}` };
    }
  }
}

/**
 * Diagnostics for every attribute of one layer that the catalogue does not allow; `shapeSafe` is false when
 * an attribute that the shape rule uses is broken, so shape inference must stop before this layer.
 */
export function checkLayerAttributes(layer: Layer): { diagnostics: Diagnostic[]; shapeSafe: boolean } {
  const spec = opSpec(layer.op);
  if (spec === undefined) return { diagnostics: [], shapeSafe: false };
  const diagnostics: Diagnostic[] = [];
  let shapeSafe = true;
  const record = layer as unknown as Record<string, unknown>;
  for (const attr of spec.attrs) {
    const problem = attrProblem(layer.op, attr, record[attr.name]);
    if (problem === undefined) continue;
    const code = attr.type === 'initializer' ? 'E1204' : 'E1201';
    diagnostics.push(diagnostic(code, problem.message, fieldRange(layer.loc, attr.dsl, attr.name), { hint: problem.hint }));
    if (attr.type !== 'initializer') shapeSafe = false;
  }
  return { diagnostics, shapeSafe };
}
