/**
 * Which parts of the catalogue a cacheable answer read — its scopes in the change log kept by
 * migration 0019 (`catalogue_scope_change`). Recorded while GraphQL resolves a cacheable miss, from
 * the objects the resolvers actually returned, so an answer depends on exactly what it shows:
 *
 * - any field of a Group → `group:<id>` (its row, sessions and co-therapists);
 *   a seat figure of it → `seats:<id>` as well
 * - any field of a Program → `program:<id>`; of a Therapist → `therapist:<id>`
 * - the `groups` list → `catalogue` (which groups match and their order), and `available` when it
 *   filters on `hasSeatsAvailable`; `group(id)` → `group:<id>` even when nothing is found
 *
 * Sessions and schedules are only reached through their Group, whose scope covers them.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './context.js';
import { decodeGlobalId } from './ids.js';

const SEAT_FIGURES = new Set(['seatsTaken', 'seatsHeld', 'seatsAvailable', 'waitlistLength']);

/** The scopes one resolved field adds (`source` is the parent object, with its database id). */
function noteField(scopes: Set<string>, parentType: string, field: string, source: unknown, args: Record<string, unknown>): void {
  const id = (source as { id?: unknown } | null)?.id;
  switch (parentType) {
    case 'Query':
      if (field === 'groups') {
        scopes.add('catalogue');
        if ((args.filter as { hasSeatsAvailable?: unknown } | undefined)?.hasSeatsAvailable != null) scopes.add('available');
      } else if (field === 'group' && typeof args.id === 'string') {
        const decoded = decodeGlobalId(args.id);
        if (decoded) scopes.add(`group:${decoded.id}`);
      }
      return;
    case 'Group':
      scopes.add(`group:${id}`);
      if (SEAT_FIGURES.has(field)) scopes.add(`seats:${id}`);
      return;
    case 'Program':
      scopes.add(`program:${id}`);
      return;
    case 'Therapist':
      scopes.add(`therapist:${id}`);
      return;
  }
}

/** Records the scopes of a cacheable miss (the context carries its set; other requests cost nothing more). */
export const catalogueScopesPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    const scopes = contextValue.catalogueScopes;
    if (!scopes) return;
    return {
      async executionDidStart() {
        return {
          willResolveField({ source, args, info }) {
            noteField(scopes, info.parentType.name, info.fieldName, source, args);
          },
        };
      },
    };
  },
};
