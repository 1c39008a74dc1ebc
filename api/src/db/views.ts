/**
 * Read-only views of rows for GraphQL reads: objects shaped like an entity (its prototype, so
 * `instanceof` and the Node interface's type resolution work; its property names; a many-to-one
 * as `{ id }`), built straight from the row without the ORM's managed-entity machinery. A managed
 * entity costs the ORM an identity-map entry, a helper, references and an accessor per property
 * defined on the instance for change tracking; an uncached catalogue page created ~190 of them,
 * and with the garbage they left that was about half of its CPU (packages/bench profile).
 *
 * Views are for reading only: never modify one, flush it or pass it to the entity manager (load
 * the entity there instead). Collections are not loaded (resolvers use loaders for them).
 */
import { type Collection, type EntityMetadata, type Reference, ReferenceKind } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fixedSql, type Statement } from './sql.js';

/** A many-to-one in a view: only the referenced row's id. */
type Viewed<V> = V extends Reference<object> ? { readonly id: string } : V;

/**
 * The type of a view of entity `E`: its persisted fields, read-only (a write through a view does
 * not compile), many-to-ones as `{ id }`, collections absent (they are not loaded).
 */
export type View<E> = {
  readonly [K in keyof E as E[K] extends Collection<object> ? never : E[K] extends (...args: never[]) => unknown ? never : K]: Viewed<E[K]>;
};

type Conversion = 'as-is' | 'date' | 'reference' | 'custom';

interface Shape {
  prototype: object;
  /** [property, column, conversion, metadata] in a fixed order, so every view of a type shares one hidden class. */
  fields: [string, string, Conversion, EntityMetadata['props'][number]][];
  /** The columns to select, for statements that name them (never `*`: see db/sql.ts). */
  columns: string[];
  /** Column of each property. */
  columnOf: Map<string, string>;
  table: string;
}

const shapes = new Map<Function, Shape>();

function shapeOf(em: EntityManager, entity: Function): Shape {
  let shape = shapes.get(entity);
  if (shape) return shape;
  const meta = em.getMetadata().get(entity.name);
  // Own writable data properties on an intermediate prototype shadow the ORM's prototype setters,
  // so assigning a field on a view is a plain store.
  const prototype = Object.create(entity.prototype);
  const fields: Shape['fields'] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || !prop.fieldNames?.length) continue;
    let conversion: Conversion;
    if (prop.kind === ReferenceKind.SCALAR) {
      if (prop.customType && prop.runtimeType !== 'Date') conversion = 'custom';
      else conversion = prop.runtimeType === 'Date' ? 'date' : 'as-is';
    } else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
      if (prop.fieldNames.length !== 1) continue;
      conversion = 'reference';
    } else continue;
    Object.defineProperty(prototype, prop.name, { value: undefined, writable: true, enumerable: false, configurable: true });
    fields.push([prop.name, prop.fieldNames[0]!, conversion, prop]);
  }
  shape = {
    prototype,
    fields,
    columns: fields.map(([, column]) => `"${column}"`),
    columnOf: new Map(fields.map(([property, column]) => [property, column])),
    table: meta.tableName,
  };
  shapes.set(entity, shape);
  return shape;
}

/** Views of rows (as pg returns them, snake_case columns) of `entity`. */
export function viewsOf<E>(em: EntityManager, entity: new () => E, rows: Record<string, unknown>[]): View<E>[] {
  const { prototype, fields } = shapeOf(em, entity);
  const platform = em.getPlatform();
  return rows.map((row) => {
    const view = Object.create(prototype) as Record<string, unknown>;
    for (const [property, column, conversion, prop] of fields) {
      const value = row[column];
      if (value === null || value === undefined) view[property] = value ?? null;
      else if (conversion === 'as-is') view[property] = value;
      else if (conversion === 'date') view[property] = value instanceof Date ? value : platform.parseDate(value as string);
      else if (conversion === 'reference') view[property] = { id: value };
      else view[property] = prop.customType!.convertToJSValue(value, platform);
    }
    return view as View<E>;
  });
}

/** The columns of `entity`'s views, qualified with `alias` when given (names from the entity's metadata). */
export function viewColumns(em: EntityManager, entity: Function, alias?: string): Statement {
  return fixedSql(
    shapeOf(em, entity)
      .columns.map((column) => (alias ? `${alias}.${column}` : column))
      .join(', '),
  );
}

/** The column of one property of `entity`, qualified with `alias`. */
export function viewColumn(em: EntityManager, entity: Function, property: string, alias: string): Statement {
  const column = shapeOf(em, entity).columnOf.get(property);
  if (!column) throw new Error(`${entity.name} has no persisted property ${property}`);
  return fixedSql(`${alias}."${column}"`);
}

/** The table behind `entity`. */
export function viewTable(em: EntityManager, entity: Function): Statement {
  return fixedSql(`"${shapeOf(em, entity).table}"`);
}
