import { Field, ID, InterfaceType } from 'type-graphql';
import type { View } from '../db/views.js';
import type { Context } from './context.js';
import { notFound } from './errors.js';
import type { NodeTypeName } from './ids.js';

/** How `node(id)` finds and guards one type of object (each module registers its own). */
export interface NodeSource<E extends { id: string }> {
  typeName: NodeTypeName;
  entity: abstract new (...args: never[]) => E;
  load(ctx: Context, id: string): Promise<View<E> | null>;
  /** Whether the viewer may see this object at all; invisible objects are NOT_FOUND. */
  visible(ctx: Context, object: View<E>): boolean | Promise<boolean>;
}

const byTypeName = new Map<string, NodeSource<{ id: string }>>();
const byEntity = new Map<unknown, NodeTypeName>();

export function registerNode<E extends { id: string }>(source: NodeSource<E>): void {
  byTypeName.set(source.typeName, source as unknown as NodeSource<{ id: string }>);
  byEntity.set(source.entity, source.typeName);
}

export function nodeSource(typeName: string): NodeSource<{ id: string }> | undefined {
  return byTypeName.get(typeName);
}

/** Loads an object the viewer may see, or null, as for an unknown ID (for fields pointing at another object). */
export async function loadIfVisible(ctx: Context, typeName: NodeTypeName | string, id: string): Promise<{ id: string } | null> {
  const source = byTypeName.get(typeName);
  const object = source ? await source.load(ctx, id) : null;
  return object && source && (await source.visible(ctx, object)) ? object : null;
}

/** Loads an object the viewer may see, or throws NOT_FOUND exactly as for an unknown ID. */
export async function loadVisible(ctx: Context, typeName: NodeTypeName | string, id: string): Promise<{ id: string }> {
  const object = await loadIfVisible(ctx, typeName, id);
  if (!object) throw byTypeName.has(typeName) ? notFound(typeName) : notFound();
  return object;
}

@InterfaceType('Node', {
  description: 'An object with a global ID; fetch any of them again with `node(id:)`.',
  resolveType: (value: object) => byEntity.get(value.constructor),
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global ID. Do not parse it; it is stable for the life of the object.' })
  id!: string;
}
