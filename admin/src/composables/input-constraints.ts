/**
 * The bounds of every mutation input field, as the API validates them: schema/input-constraints.json,
 * written by `pnpm schema:emit` from the API's zod schemas. Forms read their limits here, so a bound
 * is declared once (in the API) and the admin app follows it. Checking them in the browser only
 * saves a round trip; the API checks them again either way.
 *
 * Typed from the JSON itself: a misspelt input type or field, or a bound the field does not have,
 * fails `vue-tsc`.
 */
import constraints from '../../../schema/input-constraints.json';

type Constraints = typeof constraints;

/** The GraphQL input types that have bounded fields. */
export type ConstrainedInput = keyof Constraints;

/** The bounds of one field, e.g. `constraintOf('CreateProgramInput', 'title').maxLength`. */
export function constraintOf<T extends ConstrainedInput, F extends keyof Constraints[T]>(type: T, field: F): Constraints[T][F] {
  return constraints[type][field];
}
