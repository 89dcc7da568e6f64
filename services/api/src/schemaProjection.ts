import type { z } from 'zod';

/**
 * A copy of a value holding only what its zod schema lists, derived from the schema itself.
 * The bulk routes (fleet) serialise thousands of rows themselves instead of through the zod
 * serialiser; this keeps their promise that a field the schema does not list never leaves the
 * server, at a fraction of a full parse's cost (no refinements, only the shape and JSON types).
 */
export type Projection = (value: unknown) => unknown;

export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
  readonly code = 'PROJECTION_MISMATCH';
}

interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function fail(path: string, expected: string, value: unknown): never {
  throw new ProjectionError(`${path || 'value'}: expected ${expected}, got ${value === null ? 'null' : typeof value}`);
}

function primitive(expected: 'string' | 'number' | 'boolean', path: string): Projection {
  return (value) => (typeof value === expected ? value : fail(path, expected, value));
}

export function schemaProjection(schema: z.ZodType, path = ''): Projection {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return primitive(def.type, path);
    case 'enum':
    case 'literal':
      return (value) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : fail(path, 'an enum value', value));
    case 'nullable': {
      const inner = schemaProjection(def.innerType!, path);
      return (value) => (value === null ? null : inner(value));
    }
    case 'optional': {
      const inner = schemaProjection(def.innerType!, path);
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case 'array': {
      const element = schemaProjection(def.element!, `${path}[]`);
      return (value) => (Array.isArray(value) ? value.map(element) : fail(path, 'an array', value));
    }
    case 'tuple': {
      const items = def.items!.map((s, i) => schemaProjection(s, `${path}[${i}]`));
      return (value) => (Array.isArray(value) && value.length === items.length ? items.map((p, i) => p(value[i])) : fail(path, `a ${items.length}-tuple`, value));
    }
    case 'object':
      return objectProjection(def.shape!, path);
    default:
      throw new ProjectionError(`${path || 'value'}: no projection for zod type ${def.type}`);
  }
}

function objectProjection(shape: Readonly<Record<string, z.ZodType>>, path: string): Projection {
  const fields = Object.entries(shape).map(([key, s]) => [key, schemaProjection(s, path === '' ? key : `${path}.${key}`)] as const);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, project] of fields) {
      const v = project(source[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
}
