/**
 * The catalogue scenario every competitor answers: the first page of open groups with a free
 * seat, by first session date, with program, lead therapist, seats and next session — what a
 * partner app sends for "find my group". Kindred and the floor receive this exact document;
 * PostGraphile, whose schema conventions differ, receives its own equivalent document (see
 * peer/). Every answer is normalised to `CatalogueRow[]` and compared before any timing.
 */
export const CATALOGUE_PAGE_SIZE = 50;

export const CATALOGUE_DOCUMENT = /* GraphQL */ `
  query Catalogue($first: Int!) {
    groups(first: $first, filter: { statuses: [OPEN], hasSeatsAvailable: true }) {
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

/** One group of the catalogue page, with raw UUIDs (not global IDs) and ISO instants in UTC. */
export interface CatalogueRow {
  id: string;
  title: string;
  capacity: number;
  program: { id: string; title: string };
  leadTherapist: { id: string; displayName: string };
  seatsTaken: number;
  seatsAvailable: number;
  nextSession: { id: string; startsAt: string } | null;
}

export interface CataloguePage {
  rows: CatalogueRow[];
  hasNextPage: boolean;
}

/** Kindred's (and the floor's) opaque global ID is base64url of `Type:uuid`. */
export function uuidOfGlobalId(globalId: string): string {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  return text.slice(text.indexOf(':') + 1);
}

/** Any instant the servers print (ISO with or without milliseconds, any offset) as ISO UTC with ms. */
export function isoInstant(value: string): string {
  return new Date(value).toISOString();
}
