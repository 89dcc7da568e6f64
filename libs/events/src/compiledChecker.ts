import type { z } from 'zod';

/**
 * What a compiled checker answers when it cannot vouch for a value: the caller asks zod, which
 * decides (and words the error). A checker never rejects on its own.
 */
export const DEFER: unique symbol = Symbol('defer to zod');
export type Checker = (value: unknown) => unknown;

/*
 * A checker compiled from a zod schema: straight-line JavaScript that accepts a value only when
 * zod would, and then returns exactly zod's output (fresh objects, zod's key order, unknown keys
 * kept by loose objects, `undefined` kept for a present optional key). Anything it is not sure
 * of is DEFERred to zod. Zod stays the one source of truth: constraints are read from the
 * schema's definition, regexes are the schema's own, and checks whose wording is subtle (string
 * lengths counted in code points, refinements, integer formats) are run by calling zod's own
 * check on a reused payload. Only a subset of zod compiles; a schema using anything else (a
 * transform, a default, an enum, a superRefine, …) gets no checker and is parsed by zod alone.
 *
 * Objects are vouched for only when their prototype is Object.prototype and every shape key
 * found is an own enumerable property: then `key in value`, `for…in` and Reflect.ownKeys agree,
 * and zod's reading of the object is the one written here. Anything else — null prototypes,
 * class instances, non-enumerable or inherited keys — is deferred.
 */

type Def = {
  type: string;
  checks?: z.core.$ZodCheck[];
  coerce?: boolean;
  shape?: Record<PropertyKey, z.core.$ZodType>;
  catchall?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  element?: z.core.$ZodType;
};
type CheckDef = { check: string; when?: unknown; inclusive?: boolean; value?: unknown; minimum?: number; maximum?: number; pattern?: RegExp };

/** Thrown while compiling: the schema uses something this compiler does not reproduce. */
class NotCompilable extends Error {}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;
const checkDefOf = (check: z.core.$ZodCheck): CheckDef => check._zod.def as unknown as CheckDef;
const traits = (x: { _zod: unknown }): Set<string> => (x._zod as { traits?: Set<string> }).traits ?? new Set();

/** Check kinds whose only effect is to add issues: safe to run through zod's own code. */
const issueOnlyChecks = new Set(['min_length', 'max_length', 'length_equals', 'greater_than', 'less_than', 'string_format', 'number_format', 'custom', 'multiple_of']);

/** Keys `in` finds on every plain object (inherited): a shape with one cannot be read the fast way. */
const inheritedKeys = new Set(Object.getOwnPropertyNames(Object.prototype));

class Generator {
  readonly constants: unknown[] = [];
  readonly lines: string[] = [];
  #locals = 0;

  constant(value: unknown): string {
    this.constants.push(value);
    return `c[${this.constants.length - 1}]`;
  }

  /** A one-entry memo (a one-element array among the constants). */
  memo(): string {
    return this.constant([undefined]);
  }

  local(): string {
    return `v${this.#locals++}`;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  /** Code that validates the value in local `src`; returns the local holding zod's output. */
  node(schema: z.core.$ZodType, src: string): string {
    const def = defOf(schema);
    if (def.coerce === true) throw new NotCompilable('coercion');
    switch (def.type) {
      case 'string': {
        this.emit(`if (typeof ${src} !== 'string') return D;`);
        if (this.checksOf(schema).some((c) => checkDefOf(c).check === 'custom')) {
          this.checks(schema, src, 'string');
          return src;
        }
        // A fleet's fixes of one instant share their timestamp: the last text that passed these
        // checks (lengths, patterns: functions of the text alone) passes them again, so skip them.
        const last = this.memo();
        this.emit(`if (${src} !== ${last}[0]) {`);
        this.checks(schema, src, 'string');
        this.emit(`${last}[0] = ${src};`);
        this.emit('}');
        return src;
      }
      case 'number':
        // zod's number: a number, neither NaN nor ±Infinity.
        this.emit(`if (typeof ${src} !== 'number' || !Number.isFinite(${src})) return D;`);
        this.checks(schema, src, 'number');
        return src;
      case 'boolean':
        this.emit(`if (typeof ${src} !== 'boolean') return D;`);
        this.checks(schema, src, 'boolean');
        return src;
      case 'optional': {
        const inner = def.innerType as z.core.$ZodType;
        if (inner._zod.optin === 'defaulted' || (def.checks?.length ?? 0) > 0) throw new NotCompilable('optional with a default or checks');
        const out = this.local();
        this.emit(`let ${out};`);
        this.emit(`if (${src} !== undefined) {`);
        const mark = this.lines.length;
        try {
          this.emit(`${out} = ${this.node(inner, src)};`);
        } catch (error) {
          if (!(error instanceof NotCompilable)) throw error;
          // An optional part outside the subset (a waybill's route: tuples, an enum) need not cost
          // the whole type its fast path: absent, the rest is checked here; present, zod decides.
          this.lines.length = mark;
          this.emit('return D;');
        }
        this.emit('}');
        return out;
      }
      case 'nullable': {
        if ((def.checks?.length ?? 0) > 0) throw new NotCompilable('nullable with checks');
        const out = this.local();
        this.emit(`let ${out} = null;`);
        this.emit(`if (${src} !== null) {`);
        this.emit(`${out} = ${this.node(def.innerType as z.core.$ZodType, src)};`);
        this.emit('}');
        return out;
      }
      case 'array':
        return this.array(schema, def, src);
      case 'object':
        return this.object(schema, def, src);
      default:
        throw new NotCompilable(def.type);
    }
  }

  private array(schema: z.core.$ZodType, def: Def, src: string): string {
    const out = this.local();
    const i = this.local();
    const item = this.local();
    this.emit(`if (!Array.isArray(${src})) return D;`);
    this.emit(`const ${out} = new Array(${src}.length);`);
    this.emit(`for (let ${i} = 0; ${i} < ${src}.length; ${i}++) {`);
    this.emit(`const ${item} = ${src}[${i}];`);
    this.emit(`${out}[${i}] = ${this.node(def.element as z.core.$ZodType, item)};`);
    this.emit('}');
    this.checks(schema, out, 'array');
    return out;
  }

  private object(schema: z.core.$ZodType, def: Def, src: string): string {
    const shape = def.shape ?? {};
    if (Object.getOwnPropertySymbols(shape).length > 0) throw new NotCompilable('symbol keys');
    const keys = Object.keys(shape);
    for (const key of keys) if (inheritedKeys.has(key) || key === '__proto__') throw new NotCompilable(`shape key ${key}`);
    const catchall = def.catchall === undefined ? 'strip' : defOf(def.catchall).type;
    if (catchall !== 'strip' && catchall !== 'unknown' && catchall !== 'never') throw new NotCompilable(`catchall ${catchall}`);
    const out = this.local();
    const present = this.local();
    this.emit(`if (typeof ${src} !== 'object' || ${src} === null || Object.getPrototypeOf(${src}) !== P) return D;`);
    this.emit(`const ${out} = {};`);
    this.emit(`let ${present} = 0;`);
    for (const key of keys) {
      const field = shape[key] as z.core.$ZodType;
      const k = JSON.stringify(key);
      const raw = this.local();
      this.emit(`const ${raw} = ${src}[${k}];`);
      if (defOf(field).type === 'optional') {
        // Absent: no key. Present (even as undefined): the key, with zod's value.
        this.emit(`if (${raw} !== undefined || ${k} in ${src}) {`);
        this.emit(`${present}++;`);
        this.emit(`${out}[${k}] = ${this.node(field, raw)};`);
        this.emit('}');
      } else {
        this.emit(`${present}++;`);
        this.emit(`${out}[${k}] = ${this.node(field, raw)};`);
      }
    }
    // One pass over the enumerable keys: unknown keys are kept (loose), dropped (strip) or
    // deferred (strict: zod refuses them); each shape key found above must be one of them.
    const seen = this.local();
    const key = this.local();
    this.emit(`let ${seen} = 0;`);
    this.emit(`for (const ${key} in ${src}) {`);
    this.emit(`switch (${key}) {`);
    for (const k of keys) this.emit(`case ${JSON.stringify(k)}:`);
    if (keys.length > 0) this.emit(`${seen}++; continue;`);
    this.emit('}');
    if (catchall === 'never') this.emit('return D;');
    else if (catchall === 'unknown') this.emit(`if (${key} !== '__proto__') ${out}[${key}] = ${src}[${key}];`);
    this.emit('}');
    this.emit(`if (${seen} !== ${present}) return D;`);
    this.checks(schema, out, 'object');
    return out;
  }

  /** The schema's checks, itself first when it is one, as zod runs them. */
  private checksOf(schema: z.core.$ZodType): z.core.$ZodCheck[] {
    const own = defOf(schema).checks ?? [];
    return traits(schema).has('$ZodCheck') ? [schema as unknown as z.core.$ZodCheck, ...own] : own;
  }

  /** Code running the schema's checks on the value in `v`. */
  private checks(schema: z.core.$ZodType, v: string, kind: 'string' | 'number' | 'boolean' | 'array' | 'object'): void {
    for (const check of this.checksOf(schema)) {
      const d = checkDefOf(check);
      if (!issueOnlyChecks.has(d.check)) throw new NotCompilable(`check ${d.check}`);
      // A `when` of its own (length checks have one) may skip the check: then only zod's code decides.
      const plain = d.when === undefined;
      const t = traits(check);
      if (plain && (d.check === 'greater_than' || d.check === 'less_than') && kind === 'number' && typeof d.value === 'number') {
        const op = d.check === 'greater_than' ? (d.inclusive ? '>=' : '>') : d.inclusive ? '<=' : '<';
        this.emit(`if (!(${v} ${op} ${d.value})) return D;`);
      } else if (plain && kind === 'string' && (t.has('$ZodCheckRegex') || t.has('$ZodISODateTime') || t.has('$ZodISODate')) && d.pattern instanceof RegExp) {
        const re = this.constant(d.pattern);
        this.emit(`${re}.lastIndex = 0; if (!${re}.test(${v})) return D;`);
      } else if (d.check === 'max_length' && typeof d.maximum === 'number') {
        // Within the bound in UTF-16 units is within it in code points; beyond it, zod counts.
        this.emit(`if (${v}.length > ${d.maximum}) { ${this.zodCheck(check, v)} }`);
      } else if (d.check === 'min_length' && typeof d.minimum === 'number') {
        // Twice the floor in units clears it in code points whatever the text; below that, zod counts.
        this.emit(`if (${v}.length < ${2 * d.minimum}) { ${this.zodCheck(check, v)} }`);
      } else {
        this.emit(this.zodCheck(check, v));
      }
    }
  }

  /** Runs zod's own check on a reused payload, honouring its `when`; any issue defers. */
  private zodCheck(check: z.core.$ZodCheck, v: string): string {
    const when = checkDefOf(check).when;
    const fn = this.constant(check._zod.check.bind(check._zod));
    const guard = when === undefined ? '' : `${this.constant((when as (p: unknown) => boolean).bind(checkDefOf(check)))}(p) && `;
    return `p.value = ${v}; p.issues.length = 0; if (${guard}${fn}(p) !== undefined || p.issues.length !== 0) return D;`;
  }
}

/**
 * Compiles `schema` into a checker, or undefined when it uses anything outside the subset
 * (string, number, boolean, optional, nullable, array and object with issue-only checks).
 */
export function compileChecker(schema: z.core.$ZodType): Checker | undefined {
  const gen = new Generator();
  let result: string;
  try {
    result = gen.node(schema, 'input');
  } catch (error) {
    if (error instanceof NotCompilable) return undefined;
    throw error;
  }
  const body = [...gen.lines, `return ${result};`].join('\n');
  // A payload reused by every call of zod's own checks: they only read `value` and push issues.
  const payload = { value: undefined as unknown, issues: [] as unknown[] };
  const factory = new Function('c', 'D', 'P', 'p', `return function check(input) {\n${body}\n};`) as (
    c: unknown[],
    d: typeof DEFER,
    proto: object,
    p: typeof payload,
  ) => Checker;
  return factory(gen.constants, DEFER, Object.prototype, payload);
}
