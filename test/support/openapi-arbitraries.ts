import fc from 'fast-check';

export interface OpenApiSchema {
  type?: string;
  $ref?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  nullable?: boolean;
  allOf?: OpenApiSchema[];
}

export type Components = Record<string, OpenApiSchema>;

/** Values no field of this API accepts as they come; each must be refused with a 4xx. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(2 ** 53 + 1, 1e308, -1e308, -0, -1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, null, true, '', ' ', '0x10', '1e3'),
  fc.constantFrom("1' OR '1'='1", '1; DROP TABLE users; --', '"; SELECT SLEEP(5); --', '\u0000', '한글 상품', '🛒💸', 'a'.repeat(10_000)),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.constant(deeplyNested(200)),
);

export function deeplyNested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

function resolve(schema: OpenApiSchema, components: Components): OpenApiSchema {
  if (schema.$ref) return resolve(components[schema.$ref.replace('#/components/schemas/', '')], components);
  if (schema.allOf?.length === 1) return resolve(schema.allOf[0], components);
  return schema;
}

/** Values valid for the schema (within its declared bounds). */
export function validValue(schema: OpenApiSchema, components: Components): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? 0, -(2 ** 31)), max: Math.min(s.maximum ?? 1_000, 2 ** 31) });
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1_000, 2 ** 31) });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.string({ minLength: Math.max(s.minLength ?? 1, 1), maxLength: Math.min(s.maxLength ?? 20, 20) }).filter((v) => v.trim() !== '');
    case 'array':
      return fc.array(validValue(s.items ?? {}, components), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    default:
      return validObject(s, components);
  }
}

export function validObject(schema: OpenApiSchema, components: Components): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(schema, components);
  const properties = s.properties ?? {};
  const record = Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, validValue(p, components)]));
  return fc.record(record, { requiredKeys: s.required ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A valid body with one field replaced by a hostile value, dropped, or joined by an unknown field. */
export function mutatedObject(schema: OpenApiSchema, components: Components): fc.Arbitrary<unknown> {
  const names = Object.keys(resolve(schema, components).properties ?? {});
  return fc.tuple(validObject(schema, components), fc.nat(), hostileValue, fc.nat(2)).map(([body, pick, value, how]) => {
    const copy: Record<string, unknown> = { ...body };
    const name = names.length > 0 ? names[pick % names.length] : 'x';
    if (how === 0) copy[name] = value;
    else if (how === 1) delete copy[name];
    else copy[`unknown_${name}`] = value;
    return copy;
  });
}

/** Names a plain object (or a class) has without declaring them: each is an unknown field here. */
export const INHERITED_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'isPrototypeOf', 'toLocaleString', '__defineGetter__'];

const letter = fc.constantFrom('a', 'Z', '김', 'é', 'ß', 'ж');
const emoji = fc.constantFrom('👩', '👨', '👧', '❤', '🏳', '🧑', '🤝', '💻');

/** One piece of text from a Unicode category that length checks and databases count differently. */
export const unicodePieces: Record<string, fc.Arbitrary<string>> = {
  'variation selectors': fc
    .tuple(letter, fc.constantFrom('\uFE0F', '\uFE0E', '\u{E0100}', '\u{E01EF}'), fc.integer({ min: 1, max: 3 }))
    .map(([base, selector, n]) => base + selector.repeat(n)),
  'ZWJ sequences': fc.array(emoji, { minLength: 2, maxLength: 4 }).map((parts) => parts.join('\u200D')),
  'astral characters': fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
  'combining marks': fc
    .tuple(letter, fc.array(fc.integer({ min: 0x300, max: 0x36f }), { minLength: 1, maxLength: 5 }))
    .map(([base, marks]) => base + String.fromCodePoint(...marks)),
  controls: fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })).map((cp) => String.fromCodePoint(cp)),
};

/** Text of 0-130 pieces, mostly of one family, sometimes mixed with plain letters. */
export function unicodeText(family: string): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 4, arbitrary: unicodePieces[family] }, { weight: 1, arbitrary: letter });
  return fc.oneof(
    fc.array(piece, { minLength: 1, maxLength: 40 }),
    fc.array(piece, { minLength: 20, maxLength: 130 }),
  ).map((pieces) => pieces.join(''));
}

/** The contract's rule for a name, written independently of the service's validator. */
export function isValidName(name: string): boolean {
  const codePoints = [...name].length;
  return codePoints >= 1 && codePoints <= 100 && !/^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u.test(name) && !/\p{Cc}/u.test(name) && !/\p{Cs}/u.test(name);
}
