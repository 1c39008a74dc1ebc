/**
 * The catalogue scenario as PostGraphile receives it: the same question and the same fields as
 * Kindred's CATALOGUE_DOCUMENT, in PostGraphile's conventions over schema `bench_peer`
 * (schema.sql, preset.ts):
 *
 * - `condition: { status: OPEN, hasSeatsAvailable: true }` — PostGraphile's equality condition
 *   where Kindred has `filter: { statuses: [OPEN], hasSeatsAvailable: true }` (no `in` list
 *   without a filter plugin; one status is the same question).
 * - `orderBy: [STARTS_ON_ASC, ID_ASC]` — explicit: PostGraphile's default order is the primary
 *   key, Kindred's is the first session date then id.
 * - ids are raw UUIDs (no Relay global IDs in the peer), `startsAt` is PostgreSQL's
 *   microsecond ISO text; both are normalised below.
 */
import { type CataloguePage, type CatalogueRow, isoInstant } from '../catalogue.js';

export const PEER_CATALOGUE_DOCUMENT = /* GraphQL */ `
  query Catalogue($first: Int!) {
    groups(first: $first, condition: { status: OPEN, hasSeatsAvailable: true }, orderBy: [STARTS_ON_ASC, ID_ASC]) {
      nodes {
        id
        title
        capacity
        program { id title }
        leadTherapist { id displayName }
        seatsTaken
        seatsAvailable
        nextSession { id startsAt }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface PeerGroupNode {
  id: string;
  title: string;
  capacity: number;
  program: { id: string; title: string } | null;
  leadTherapist: { id: string; displayName: string } | null;
  seatsTaken: number;
  seatsAvailable: number;
  nextSession: { id: string; startsAt: string } | null;
}

interface PeerCatalogueData {
  groups: { nodes: (PeerGroupNode | null)[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null;
}

/**
 * PostGraphile's answer to PEER_CATALOGUE_DOCUMENT in the shared shape. Takes the response body
 * (`{ data, errors? }`) or its `data`; throws on errors or on a missing relation (which the views'
 * smart-tag foreign keys make impossible unless the data is broken).
 */
export function normalisePeerCatalogue(json: unknown): CataloguePage {
  const body = json as { data?: unknown; errors?: unknown } | null;
  if (body && typeof body === 'object' && 'errors' in body && body.errors) {
    throw new Error(`PostGraphile answered errors: ${JSON.stringify(body.errors)}`);
  }
  const data = (body && typeof body === 'object' && 'data' in body ? body.data : body) as PeerCatalogueData | null;
  const groups = data?.groups;
  if (!groups) throw new Error(`PostGraphile answered no groups: ${JSON.stringify(json).slice(0, 300)}`);
  return {
    hasNextPage: groups.pageInfo.hasNextPage,
    rows: groups.nodes.map((node, i): CatalogueRow => {
      if (!node?.program || !node.leadTherapist) {
        throw new Error(`PostGraphile group #${i} lacks its program or lead therapist: ${JSON.stringify(node)}`);
      }
      return {
        id: node.id,
        title: node.title,
        capacity: node.capacity,
        program: { id: node.program.id, title: node.program.title },
        leadTherapist: { id: node.leadTherapist.id, displayName: node.leadTherapist.displayName },
        seatsTaken: node.seatsTaken,
        seatsAvailable: node.seatsAvailable,
        nextSession: node.nextSession ? { id: node.nextSession.id, startsAt: isoInstant(node.nextSession.startsAt) } : null,
      };
    }),
  };
}
