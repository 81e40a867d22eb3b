import { isURL } from 'class-validator';

/**
 * One environment variable, declared once: its name, how its text becomes a value (or why it is
 * refused), and what the docs say of it. The loader, `.env.example` and docs/configuration.md all
 * follow from these declarations.
 */
export interface ConfigVariable<T> {
  readonly env: string;
  readonly description: string;
  /** The default as the docs show it; undefined when the variable has none. */
  readonly shownDefault: string | undefined;
  /** Bounds or format, for the docs (`1..65535`, `http(s) URL`). */
  readonly format: string;
  /** Its line in `.env.example`; the default when not given. */
  readonly example: string;
  readonly required: boolean;
  /** The value of the variable's text (undefined or '' = unset), or throws a message naming no variable. */
  parse(raw: string | undefined): T;
}

interface Common {
  description: string;
  example?: string;
}

class Invalid extends Error {}

/** Thrown by `parse` with the reason a value is refused; the loader prefixes the variable's name. */
export const isInvalidValue = (error: unknown): error is Error => error instanceof Invalid;

function declare<T>(env: string, spec: Common & { shownDefault?: string; format: string; required?: boolean; parse: (raw: string) => T; unset: () => T }): ConfigVariable<T> {
  return {
    env,
    description: spec.description,
    shownDefault: spec.shownDefault,
    format: spec.format,
    example: spec.example ?? spec.shownDefault ?? '',
    required: spec.required ?? false,
    parse: (raw) => (raw === undefined || raw === '' ? spec.unset() : spec.parse(raw)),
  };
}

const unsetIsUndefined = (): undefined => undefined;

/** A whole number in [min, max]. */
export function integer(env: string, spec: Common & { default: number; min: number; max: number }): ConfigVariable<number> {
  return declare(env, {
    ...spec,
    shownDefault: String(spec.default),
    format: `${spec.min}..${spec.max}`,
    unset: () => spec.default,
    parse: (raw) => {
      const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) throw new Invalid(`must be a whole number from ${spec.min} to ${spec.max}`);
      return value;
    },
  });
}

interface TextSpec extends Common {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** Says what the pattern allows, for the message and the docs. */
  patternText?: string;
}

function checkText(raw: string, spec: TextSpec): string {
  const { minLength = 0, maxLength = 10_000 } = spec;
  if (raw.length < minLength || raw.length > maxLength) throw new Invalid(`must be ${minLength}-${maxLength} characters`);
  if (spec.pattern && !spec.pattern.test(raw)) throw new Invalid(`must be ${spec.patternText}`);
  return raw;
}

function textFormat(spec: TextSpec): string {
  if (spec.patternText) return spec.patternText;
  if (spec.minLength !== undefined) return `${spec.minLength}-${spec.maxLength} characters`;
  return 'text';
}

/** Text with a default. */
export function text(env: string, spec: TextSpec & { default: string }): ConfigVariable<string> {
  return declare(env, { ...spec, shownDefault: spec.default === '' ? '(empty)' : spec.default, example: spec.example ?? spec.default, format: textFormat(spec), unset: () => spec.default, parse: (raw) => checkText(raw, spec) });
}

/** Text that may be unset. */
export function optionalText(env: string, spec: TextSpec): ConfigVariable<string | undefined> {
  return declare(env, { ...spec, format: textFormat(spec), unset: unsetIsUndefined, parse: (raw) => checkText(raw, spec) });
}

/** Text the app cannot start without (tools that need only the database do not read it). */
export function requiredText(env: string, spec: TextSpec): ConfigVariable<string> {
  return declare(env, {
    ...spec,
    format: textFormat(spec),
    required: true,
    unset: () => {
      throw new Invalid(`required (${spec.description.replace(/\.$/, '')})`);
    },
    parse: (raw) => checkText(raw, spec),
  });
}

/** An http(s) URL that may be unset. */
export function optionalUrl(env: string, spec: Common): ConfigVariable<string | undefined> {
  return declare(env, {
    ...spec,
    format: 'http(s) URL',
    unset: unsetIsUndefined,
    parse: (raw) => {
      if (!isURL(raw, { require_tld: false, protocols: ['http', 'https'], require_protocol: true })) throw new Invalid('must be an http or https URL');
      return raw;
    },
  });
}

/** One of a fixed set of words. */
export function oneOf<const V extends string>(env: string, spec: Common & { values: readonly V[]; default: V }): ConfigVariable<V> {
  return declare(env, {
    ...spec,
    shownDefault: spec.default,
    format: spec.values.join(' | '),
    unset: () => spec.default,
    parse: (raw) => {
      if (!(spec.values as readonly string[]).includes(raw)) throw new Invalid(`must be one of ${spec.values.join(', ')}`);
      return raw as V;
    },
  });
}

/** A comma-separated list, each item matching `item`; unset is the empty list. */
export function list(env: string, spec: Common & { item: RegExp; itemText: string }): ConfigVariable<string[]> {
  return declare(env, {
    ...spec,
    format: `comma-separated ${spec.itemText}`,
    unset: () => [],
    parse: (raw) => {
      const items = raw.split(',');
      if (!items.every((item) => spec.item.test(item))) throw new Invalid(`must be comma-separated, each exactly ${spec.itemText}`);
      return items;
    },
  });
}
