import { mapExchange } from '@urql/core';
import { reactive } from 'vue';
import { codeOf } from './graphql-errors';

/**
 * Which fields of which objects the API refused to this viewer (FORBIDDEN at the field's path),
 * e.g. `Member:TWVt…:legalName` for an admin.
 *
 * Paths in errors index the raw network answer, which the normalised cache later rearranges
 * (pages merged, results re-read from cache without their errors). So an exchange placed
 * between the cache and fetch resolves each FORBIDDEN path to the object that owns the field
 * and records "object + field" here, which stays true for the whole session. Cleared on sign-out
 * (the app reloads then anyway).
 */
const refused = reactive(new Set<string>());

export interface EntityRef {
  __typename?: string | undefined;
  id: string;
}

function keyOf(typename: string | undefined, id: string, field: string): string {
  return `${typename ?? '?'}:${id}:${field}`;
}

/** True when the API answered FORBIDDEN for this field of this object. */
export function isForbiddenField(entity: EntityRef | null | undefined, field: string): boolean {
  if (!entity) return false;
  return refused.has(keyOf(entity.__typename, entity.id, field)) || refused.has(keyOf(undefined, entity.id, field));
}

export function clearForbiddenFields(): void {
  refused.clear();
}

/** Records the owner of each FORBIDDEN path in one raw answer. Exported for tests. */
export function recordForbiddenPaths(
  data: unknown,
  errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[],
): void {
  for (const error of errors) {
    if (codeOf(error as never) !== 'FORBIDDEN' || !error.path || error.path.length < 2) continue;
    let owner: unknown = data;
    for (const segment of error.path.slice(0, -1)) {
      owner = owner != null && typeof owner === 'object' ? (owner as Record<string | number, unknown>)[segment] : undefined;
    }
    const field = String(error.path[error.path.length - 1]);
    if (owner && typeof owner === 'object' && typeof (owner as { id?: unknown }).id === 'string') {
      const { __typename, id } = owner as { __typename?: string; id: string };
      refused.add(keyOf(__typename, id, field));
      if (__typename) refused.add(keyOf(undefined, id, field));
    }
  }
}

/** Goes between cacheExchange and fetchExchange, where results are still the raw network answers. */
export const forbiddenFieldsExchange = mapExchange({
  onResult(result) {
    if (result.error?.graphQLErrors.length) recordForbiddenPaths(result.data, result.error.graphQLErrors);
  },
});
