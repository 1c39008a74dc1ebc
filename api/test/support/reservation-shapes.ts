/**
 * How reservations, their history and refusals look over the API, written out by hand for the
 * end-to-end tests to compare whole responses with (never computed by the code under test).
 */
import { expect } from 'vitest';

/** Every field of a reservation a partner app reads, with its member and history. */
export const RESERVATION_FIELDS = `id status waitlistPosition expiresAt endedAt endedBy cancelledLate removalReason needsSignature
  group { id } member { id displayName } history { fromStatus toStatus actorKind reason }`;

export type ReservationStatus = 'HELD' | 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' | 'EXPIRED' | 'REMOVED' | 'MOVED';

export interface ShapeMember {
  globalId: string;
  displayName: string;
  /** Whether the member has signed the latest version that requires signing. */
  signed: boolean;
}

/** The whole reservation as the API shows it; the defaults describe an active, unended CONFIRMED one. */
export function reservationShape(who: ShapeMember, group: { globalId: string }, fields: Record<string, unknown>) {
  return {
    id: expect.any(String),
    status: 'CONFIRMED',
    waitlistPosition: null,
    expiresAt: null,
    endedAt: null,
    endedBy: null,
    cancelledLate: null,
    removalReason: null,
    needsSignature: !who.signed,
    group: { id: group.globalId },
    member: { id: who.globalId, displayName: who.displayName },
    history: [],
    ...fields,
  };
}

/** One entry of a reservation's history. */
export const event = (fromStatus: ReservationStatus | null, toStatus: ReservationStatus, actorKind: string, reason: unknown = null) => ({
  fromStatus,
  toStatus,
  actorKind,
  reason,
});

/**
 * A waitlisted member given a freed seat: by the system (ReservationEvent.actorKind), and never
 * carrying the reason another member's seat was ended with (`notReason`).
 */
export const promoted = (toStatus: ReservationStatus, notReason = '\u0000') =>
  event('WAITLISTED', toStatus, 'SYSTEM', expect.not.stringContaining(notReason));

/** An ISO instant within a few seconds of `ms`. */
export const instantNear = (ms: number) => ({
  asymmetricMatch: (value: unknown) => typeof value === 'string' && Math.abs(Date.parse(value) - ms) < 5_000,
  toString: () => `an instant near ${new Date(ms).toISOString()}`,
});

/** An ISO instant within a few seconds of now. */
export const recently = () => instantNear(Date.now());

/** A user error in a payload. */
export const userError = (code: string, field: string[]) => ({ code, field, message: expect.any(String) });

/** A whole response refused at its root field with a top-level error. */
export const topLevel = (field: string, code: string) => ({
  data: null,
  errors: [{ message: expect.any(String), locations: expect.any(Array), path: [field], extensions: { code } }],
});

const READ_RESERVATIONS = `query Reservations($ids: [ID!]!) { nodes(ids: $ids) { ... on Reservation { ${RESERVATION_FIELDS} } } }`;

/** Reads reservations by global ID with `token` (an admin's, in the tests): whole objects, in order. */
export async function readReservations(
  app: { gql(query: string, options: { variables: Record<string, unknown>; token: string }): Promise<{ body: any }> },
  token: string,
  ids: string[],
) {
  const response = await app.gql(READ_RESERVATIONS, { variables: { ids }, token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.nodes;
}
