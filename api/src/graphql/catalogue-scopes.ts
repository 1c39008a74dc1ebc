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
 *
 * A seat figure is also recorded with its response path (aliases as sent) and its group's
 * capacity: when a cached answer's only changes are seat scopes, the cache splices fresh figures
 * in at those paths instead of recomputing the answer (graphql/public-cache.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import type { Context } from './context.js';
import { decodeGlobalId } from './ids.js';

/** The Group fields whose value depends on nothing but `seats:<id>` and the group's capacity. */
const SEAT_FIGURES = new Set(['seatsTaken', 'seatsHeld', 'seatsAvailable', 'waitlistLength']);

/** Where an answer shows a seat figure. */
export interface SeatPath {
  /** The response path under `data` (response keys, so aliases as the query wrote them). */
  path: (string | number)[];
  group: string;
  field: string;
}

/** What a cacheable miss records while GraphQL resolves it. */
export interface CatalogueReads {
  scopes: Set<string>;
  seats: SeatPath[];
  /** Each shown group's capacity (seatsAvailable depends on it; a change to it is `group:<id>`). */
  capacities: Map<string, number>;
}

/** What one resolved field adds (`source` is the parent object, with its database id). */
function noteField(reads: CatalogueReads, info: GraphQLResolveInfo, source: unknown, args: Record<string, unknown>): void {
  const { scopes } = reads;
  const parentType = info.parentType.name;
  const field = info.fieldName;
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
      if (SEAT_FIGURES.has(field)) {
        scopes.add(`seats:${id}`);
        reads.seats.push({ path: responsePathAsArray(info.path), group: String(id), field });
        reads.capacities.set(String(id), (source as { capacity: number }).capacity);
      }
      return;
    case 'Program':
      scopes.add(`program:${id}`);
      return;
    case 'Therapist':
      scopes.add(`therapist:${id}`);
      return;
  }
}

/** Records the reads of a cacheable miss (the context carries them; other requests cost nothing more). */
export const catalogueScopesPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    const reads = contextValue.catalogueReads;
    if (!reads) return;
    return {
      async executionDidStart() {
        return {
          willResolveField({ source, args, info }) {
            noteField(reads, info, source, args);
          },
        };
      },
    };
  },
};
