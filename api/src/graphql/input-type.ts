/**
 * GraphQL input types generated from their zod schemas, so each input is declared once: the zod
 * schema holds the shape, the constraints and the transformations (validateInput runs it), and
 * the GraphQL type is derived from it — field types, nullability, defaults, and the constraints
 * appended to each field's description in words ("At most 200 characters."). The same
 * constraints are emitted as schema/input-constraints.json for the admin app's forms
 * (docs/decisions/0005-inputs-from-zod.md).
 *
 * Mapping: a string is String (ID when built with `idString()`), an integer Int, a boolean
 * Boolean, a date DateTimeISO, an enum its registered GraphQL enum, an array a list, an object
 * the input type generated for that exact schema; optional, nullable or defaulted is a nullable
 * field (a default shows in GraphQL only with `shownDefault`); transforms and refinements look at
 * their input.
 */
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';

/** Bounds of one input field, as the admin app reads them. */
export interface FieldConstraint {
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  maxItems?: number;
  /** For a list of strings or numbers: the bounds of each item. */
  items?: FieldConstraint;
}

/** Every generated input type's constraints, by type and field (schema/input-constraints.json). */
export const inputConstraints: Record<string, Record<string, FieldConstraint>> = {};

/** Names of the input types generated here (a test checks the schema holds no other). */
export const generatedInputTypes = new Set<string>();

const classOfSchema = new WeakMap<z.ZodType, Function>();
const ID_META = 'graphqlId';
const DEFAULT_META = 'graphqlDefault';

/** A string that GraphQL shows as ID (global IDs). */
export const idString = () => z.string().meta({ [ID_META]: true });

/**
 * A zod default that GraphQL shows too (`useCookie: Boolean! = false`). Without it a defaulted
 * field is simply optional in GraphQL and Kindred fills the default.
 */
export const shownDefault = (schema: z.ZodBoolean, value: boolean) => schema.default(value).meta({ [DEFAULT_META]: true });

type Docs<S extends z.ZodObject> = { [K in keyof S['shape']]: string };

/** What a field's zod schema says once its wrappers are peeled off. */
interface Peeled {
  base: z.ZodType;
  nullable: boolean;
  defaultValue?: unknown;
  isId: boolean;
  /** The schemas from the outside in, for constraints declared at any level. */
  levels: z.ZodType[];
}

function peel(schema: z.ZodType): Peeled {
  let current = schema;
  let nullable = false;
  let defaultValue: unknown;
  let isId = false;
  const levels: z.ZodType[] = [];
  for (;;) {
    levels.push(current);
    const meta = z.globalRegistry.get(current) as Record<string, unknown> | undefined;
    if (meta?.[ID_META]) isId = true;
    const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown };
    if (def.type === 'optional' || def.type === 'nullable') {
      nullable = true;
      current = def.innerType!;
    } else if (def.type === 'default' || def.type === 'prefault') {
      if (meta?.[DEFAULT_META]) defaultValue = def.defaultValue;
      else nullable = true;
      current = def.innerType!;
    } else if (def.type === 'pipe') current = def.in!;
    else return { base: current, nullable, defaultValue, isId, levels };
  }
}

function constraintOf(levels: z.ZodType[]): FieldConstraint {
  const found: FieldConstraint = {};
  for (const level of levels) {
    // A minimum enforced by a refinement (to give it its own error code) is published as metadata.
    const declared = (z.globalRegistry.get(level) as { minLength?: number } | undefined)?.minLength;
    if (declared !== undefined) found.minLength = declared;
    const def = level._zod.def as { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };
    for (const check of def.checks ?? []) {
      const c = check._zod.def;
      const list = def.type === 'array';
      if (c.check === 'min_length' && !list) found.minLength = Math.max(found.minLength ?? 0, c.minimum as number);
      if (c.check === 'max_length') {
        const key = list ? 'maxItems' : 'maxLength';
        found[key] = Math.min(found[key] ?? Number.POSITIVE_INFINITY, c.maximum as number);
      }
      if (c.check === 'greater_than') found.min = c.value as number;
      if (c.check === 'less_than') found.max = c.value as number;
    }
  }
  return found;
}

/** The constraint in words, appended to the field's description. */
function describeConstraint(c: FieldConstraint): string {
  const parts: string[] = [];
  if (c.maxLength !== undefined)
    parts.push(c.minLength ? `${c.minLength} to ${c.maxLength} characters.` : `At most ${c.maxLength} characters.`);
  if (c.min !== undefined && c.max !== undefined) parts.push(`From ${c.min} to ${c.max}.`);
  else if (c.min !== undefined) parts.push(`At least ${c.min}.`);
  else if (c.max !== undefined) parts.push(`At most ${c.max}.`);
  if (c.maxItems !== undefined) parts.push(`At most ${c.maxItems} items.`);
  if (c.items) parts.push(`Each: ${describeConstraint(c.items)}`);
  return parts.join(' ');
}

function isInteger(schema: z.ZodType): boolean {
  const checks = (schema._zod.def as { checks?: { _zod: { def: Record<string, unknown> } }[] }).checks ?? [];
  return checks.some((c) => c._zod.def.check === 'number_format' && String(c._zod.def.format).includes('int'));
}

function graphqlTypeOf(peeled: Peeled, where: string): object {
  const { base, isId } = peeled;
  const def = base._zod.def as { type: string; entries?: object; element?: z.ZodType };
  switch (def.type) {
    case 'string':
      return isId ? ID : String;
    case 'number':
      return isInteger(base) ? Int : Float;
    case 'boolean':
      return Boolean;
    case 'date':
      return Date;
    case 'enum':
      return def.entries!;
    case 'array':
      return [graphqlTypeOf(peel(def.element!), where)];
    case 'object': {
      const nested = classOfSchema.get(base);
      if (!nested) throw new Error(`${where}: a nested object needs its own inputType() first`);
      return nested;
    }
    default:
      throw new Error(`${where}: no GraphQL input type for zod type ${def.type}`);
  }
}

/**
 * Declares the GraphQL input type `name` for `schema`; `docs` describes every field (the compiler
 * insists on one per field). Returns the class type-graphql needs for `@Arg(…, () => Class)`.
 */
export function inputType<S extends z.ZodObject>(name: string, description: string, schema: S, docs: Docs<S>): Function {
  const generated = { [name]: class {} }[name]!;
  const constraints: Record<string, FieldConstraint> = {};
  for (const [field, fieldSchema] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const peeled = peel(fieldSchema);
    const type = graphqlTypeOf(peeled, `${name}.${field}`);
    const constraint = constraintOf(peeled.levels);
    const element = (peeled.base._zod.def as { element?: z.ZodType }).element;
    const items = element ? constraintOf(peel(element).levels) : {};
    if (Object.keys(items).length > 0) constraint.items = items;
    const bounds = describeConstraint(constraint);
    if (bounds) constraints[field] = constraint;
    const doc = (docs as Record<string, string>)[field]!;
    Field(() => type, {
      nullable: peeled.nullable,
      ...(peeled.defaultValue !== undefined ? { defaultValue: peeled.defaultValue } : {}),
      description: bounds ? `${doc} ${bounds}` : doc,
    })(generated.prototype, field);
  }
  InputType(name, { description })(generated);
  classOfSchema.set(schema, generated);
  generatedInputTypes.add(name);
  if (Object.keys(constraints).length > 0) inputConstraints[name] = constraints;
  return generated;
}
