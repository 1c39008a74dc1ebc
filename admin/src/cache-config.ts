import type { Cache, CacheExchangeOpts, Entity } from '@urql/exchange-graphcache';

/**
 * The normalised cache's configuration. Objects with an `id` (every Node) are normalised by it;
 * the types below carry no identity and are stored inside their parent. A test compares this
 * list with schema.graphql, so a new key-less type cannot be forgotten.
 */
export const EMBEDDED_TYPES = [
  'AgreementConnection',
  'AgreementEdge',
  'Attendance',
  'CreateAgreementPayload',
  'CreateMemberAccountPayload',
  'CreatePartnerApiKeyPayload',
  'CreatePartnerPayload',
  'CreateTherapistPayload',
  'EmergencyContact',
  'GroupConnection',
  'GroupEdge',
  'GroupPayload',
  'GroupSchedule',
  'LoginPayload',
  'LogoutPayload',
  'MemberConnection',
  'MemberEdge',
  'PageInfo',
  'PartnerConnection',
  'PartnerEdge',
  'PlannedSession',
  'ProgramConnection',
  'ProgramEdge',
  'ProgramPayload',
  'PublishAgreementVersionPayload',
  'RecordAttendancePayload',
  'RegisterMemberPayload',
  'ReservationConnection',
  'ReservationEdge',
  'ReservationEvent',
  'ReservationPayload',
  'RevokePartnerApiKeyPayload',
  'SignAgreementPayload',
  'TherapistConnection',
  'TherapistEdge',
  'UserError',
  'Viewer',
] as const;

/** Invalidates every cached variant (all arguments) of one field of an entity. */
function invalidateField(cache: Cache, entity: Entity, fieldName: string): void {
  for (const field of cache.inspectFields(entity)) {
    if (field.fieldName === fieldName) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

const group = (id: string | null | undefined) => (id ? { __typename: 'Group', id } : null);
const reservation = (id: string) => ({ __typename: 'Reservation', id });

/**
 * A seat changed hands in these groups: their figures, rosters and waitlists are stale, and so
 * are the group lists (the "has seats" filter, seat counts) and members' reservation lists.
 * Invalidating makes every query on screen that read them refetch.
 */
function seatsMoved(cache: Cache, groupIds: (string | null | undefined)[], memberId?: string | null): void {
  for (const id of new Set(groupIds)) {
    const key = group(id);
    if (key) cache.invalidate(key);
  }
  invalidateField(cache, 'Query', 'groups');
  invalidateField(cache, 'Query', 'members');
  if (memberId) invalidateField(cache, { __typename: 'Member', id: memberId }, 'reservations');
}

function groupOfReservation(cache: Cache, reservationId: string): string | null {
  const link = cache.resolve(reservation(reservationId), 'group');
  return typeof link === 'string' ? (cache.resolve(link, 'id') as string | null) : null;
}

function memberOfReservation(cache: Cache, reservationId: string): string | null {
  const link = cache.resolve(reservation(reservationId), 'member');
  return typeof link === 'string' ? (cache.resolve(link, 'id') as string | null) : null;
}

type Input = { input: Record<string, unknown> };
const input = (args: Record<string, unknown>) => (args as Input).input;
const payloadOk = (result: Record<string, unknown>, field: string) => {
  const payload = result[field] as { userErrors?: unknown[] } | null | undefined;
  return !!payload && (payload.userErrors?.length ?? 0) === 0;
};

export const cacheConfig: CacheExchangeOpts = {
  keys: Object.fromEntries(EMBEDDED_TYPES.map((typename) => [typename, () => null])),
  updates: {
    Mutation: {
      createGroup(result, _args, cache) {
        if (payloadOk(result, 'createGroup')) {
          invalidateField(cache, 'Query', 'groups');
        }
      },
      updateGroup(result, args, cache) {
        if (payloadOk(result, 'updateGroup')) seatsMoved(cache, [input(args).id as string]);
      },
      openGroup(result, args, cache) {
        if (payloadOk(result, 'openGroup')) seatsMoved(cache, [input(args).id as string]);
      },
      cancelGroup(result, args, cache) {
        if (payloadOk(result, 'cancelGroup')) seatsMoved(cache, [input(args).id as string]);
      },
      reserveSeat(result, args, cache) {
        if (payloadOk(result, 'reserveSeat'))
          seatsMoved(cache, [input(args).groupId as string], input(args).memberId as string | undefined);
      },
      cancelReservation(result, args, cache) {
        const id = input(args).reservationId as string;
        if (payloadOk(result, 'cancelReservation')) seatsMoved(cache, [groupOfReservation(cache, id)], memberOfReservation(cache, id));
      },
      removeReservation(result, args, cache) {
        const id = input(args).reservationId as string;
        if (payloadOk(result, 'removeReservation')) seatsMoved(cache, [groupOfReservation(cache, id)], memberOfReservation(cache, id));
      },
      moveReservation(result, args, cache) {
        const id = input(args).reservationId as string;
        if (payloadOk(result, 'moveReservation')) {
          seatsMoved(cache, [groupOfReservation(cache, id), input(args).toGroupId as string], memberOfReservation(cache, id));
        }
      },
      recordAttendance(result, args, cache) {
        if (payloadOk(result, 'recordAttendance')) {
          invalidateField(cache, { __typename: 'Session', id: input(args).sessionId as string }, 'attendance');
          invalidateField(cache, { __typename: 'Member', id: input(args).memberId as string }, 'attendance');
        }
      },
      createProgram(result, _args, cache) {
        if (payloadOk(result, 'createProgram')) invalidateField(cache, 'Query', 'programs');
      },
      publishProgram(result, _args, cache) {
        if (payloadOk(result, 'publishProgram')) invalidateField(cache, 'Query', 'programs');
      },
      archiveProgram(result, _args, cache) {
        if (payloadOk(result, 'archiveProgram')) invalidateField(cache, 'Query', 'programs');
      },
      createAgreement(result, _args, cache) {
        if (payloadOk(result, 'createAgreement')) invalidateField(cache, 'Query', 'agreements');
      },
      publishAgreementVersion(result, args, cache) {
        if (payloadOk(result, 'publishAgreementVersion')) {
          cache.invalidate({ __typename: 'Agreement', id: input(args).agreementId as string });
        }
      },
      createTherapist(result, _args, cache) {
        if (payloadOk(result, 'createTherapist')) invalidateField(cache, 'Query', 'therapists');
      },
      createPartner(result, _args, cache) {
        if (payloadOk(result, 'createPartner')) invalidateField(cache, 'Query', 'partners');
      },
      createPartnerApiKey(result, args, cache) {
        if (payloadOk(result, 'createPartnerApiKey')) {
          invalidateField(cache, { __typename: 'Partner', id: input(args).partnerId as string }, 'apiKeys');
        }
      },
      registerMember(result, _args, cache) {
        if (payloadOk(result, 'registerMember')) invalidateField(cache, 'Query', 'members');
      },
    },
  },
};
