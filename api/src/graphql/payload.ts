import type { GraphQLScalarType } from 'graphql';
import { type ClassType, Field, ObjectType } from 'type-graphql';
import { UserError, UserErrors } from './user-errors.js';

/** Base of every mutation payload (not itself in the schema: no field returns it). */
@ObjectType('Payload', { description: 'Base of mutation payloads.' })
abstract class Payload {
  @Field(() => [UserError], { description: 'Why the input was refused; empty when the mutation succeeded.' })
  userErrors: UserError[] = [];
}

/** One field of a payload: what it returns and what it means for a partner developer. */
export interface PayloadField {
  type: () => ClassType | ClassType[] | StringConstructor | StringConstructor[] | BooleanConstructor | DateConstructor | GraphQLScalarType;
  description: string;
  /** Null only when refused (the default), or always present. */
  nullable?: boolean;
  /** Kept for older clients, answered as documented; the reason says what to use instead. */
  deprecationReason?: string;
}

/**
 * Declares the payload type `name`: `userErrors` plus `fields`. Mutations return plain objects
 * of this shape (see `mutate`), so the payload needs no class of its own in each module.
 */
export function payloadType(name: string, description: string, fields: Record<string, PayloadField>): ClassType {
  const generated = { [name]: class extends Payload {} }[name]!;
  for (const [field, spec] of Object.entries(fields)) {
    Field(spec.type, {
      nullable: spec.nullable ?? true,
      description: spec.description,
      ...(spec.deprecationReason ? { deprecationReason: spec.deprecationReason } : {}),
    })(generated.prototype, field);
  }
  ObjectType(name, { description })(generated);
  return generated;
}

/** What a mutation answers: its result's fields, and why it was refused (empty on success). */
export type Payloaded<T> = Partial<T> & { userErrors: UserError[] };

/**
 * Runs a mutation's service call and shapes the payload: its result on success (keeping the
 * result's own `userErrors` when it carries some, as a replayed seat refusal does), `userErrors`
 * when the service refused the input. Anything else propagates as a top-level error.
 */
export async function mutate<T extends object>(run: () => Promise<T>): Promise<Payloaded<T>> {
  try {
    return { userErrors: [], ...(await run()) };
  } catch (error) {
    if (!(error instanceof UserErrors)) throw error;
    return { userErrors: error.errors } as Payloaded<T>;
  }
}

/** The `input` argument every mutation takes (`@Arg('input', () => XInput, INPUT)`). */
export const INPUT = { description: 'The mutation input; see its type for each field.' } as const;
