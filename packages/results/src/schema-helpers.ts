// Small builders for the JSON Schema forms results.json has always used (draft-07: `type` lists for nullable
// numbers, `enum`, `oneOf` with null, `additionalProperties` maps), each typed for `Static` through
// TypeBox's Unsafe: TypeBox's own Union and Record would write the same constraints as `anyOf` and
// `patternProperties`, which validate alike but read worse in the shipped schema.
import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';

interface NumberOptions {
  minimum?: number;
  maximum?: number;
  description?: string;
}

/** A number or null (null stands for a non-finite number: JSON has no NaN). */
export const NullableNumber = (options: NumberOptions = {}): TUnsafe<number | null> => Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });

export const NullableInteger = (options: NumberOptions = {}): TUnsafe<number | null> => Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });

export const NullableString = (options: { description?: string } = {}): TUnsafe<string | null> =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

/** A schema's value or null. */
export const OrNull = <T extends TSchema>(schema: T, options: { description?: string } = {}): TUnsafe<Static<T> | null> =>
  Type.Unsafe<Static<T> | null>({ ...options, oneOf: [{ type: 'null' }, schema] });

/** An object whose keys are free (parameter names, layer names, metric names) and whose values are `value`. */
export const Dictionary = <T extends TSchema>(value: T, options: { description?: string } = {}): TUnsafe<Record<string, Static<T>>> =>
  Type.Unsafe<Record<string, Static<T>>>({ type: 'object', ...options, additionalProperties: value });

/** Exactly two entries: a 95% interval's low and high end. */
export const Pair = <T extends TSchema>(item: T): TUnsafe<[Static<T>, Static<T>]> =>
  Type.Unsafe<[Static<T>, Static<T>]>({ type: 'array', items: item, minItems: 2, maxItems: 2 });

/** An object that admits no other property than those listed. */
export const Closed = { additionalProperties: false } as const;
