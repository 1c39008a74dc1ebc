import { Field, ObjectType } from 'type-graphql';
import { UserError, UserErrors } from './user-errors.js';
/** Base of every mutation payload (not itself in the schema: no field returns it). */
@ObjectType('Payload', { description: 'Base of mutation payloads.' })
export abstract class Payload {
  @Field(() => [UserError], { description: 'Why the input was refused; empty when the mutation succeeded.' })
  userErrors: UserError[] = [];
}

/**
 * Runs a mutation's service call and shapes the payload: its result on success, `userErrors`
 * when the service refused the input. Anything else propagates as a top-level error.
 */
export async function payload<P extends Payload>(make: () => P, run: () => Promise<Partial<P>>): Promise<P> {
  const result = make();
  try {
    Object.assign(result, await run());
  } catch (error) {
    if (!(error instanceof UserErrors)) throw error;
    result.userErrors = error.errors;
  }
  return result;
}
