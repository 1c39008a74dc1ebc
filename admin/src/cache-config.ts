import type { Cache, CacheExchangeOpts, Entity } from '@urql/exchange-graphcache';

/**
 * The normalised cache's configuration. Objects with an `id` (every Node) are normalised by it;
 * the types below carry no identity and are stored inside their parent. A test compares this
 * list with schema.graphql, so a new key-less type cannot be forgotten.
 */
export const EMBEDDED_TYPES = [
  'AcceptInvitationPayload',
  'AdminConnection',
  'AdminEdge',
  'AdminPayload',
  'AgreementConnection',
  'AgreementEdge',
  'ApproveTherapistPayload',
  'Attendance',
  'ChangeSignInEmailPayload',
  'ClaimMemberSignInPayload',
  'ConfirmSignInEmailPayload',
  'CreateAgreementPayload',
  'CreatePartnerApiKeyPayload',
  'CreatePartnerPayload',
  'CreateTherapistPayload',
  'EmergencyContact',
  'EraseMemberPayload',
  'GroupConnection',
  'GroupEdge',
  'GroupPayload',
  'GroupSchedule',
  'IdentifierRead',
  'IdentifierReadConnection',
  'IdentifierReadEdge',
  'LoginPayload',
  'LogoutPayload',
  'MemberConnection',
  'MemberDataExport',
  'MemberEdge',
  'MemberErasure',
  'PageInfo',
  'PartnerConnection',
  'PartnerEdge',
  'PlannedSession',
  'ProgramConnection',
  'ProgramEdge',
  'ProgramPayload',
  'PublishAgreementVersionPayload',
  'RecordAttendancePayload',
  'RecoveryCodesPayload',
  'RegisterMemberPayload',
  'RemoveSecondFactorPayload',
  'RequestMemberSignInPayload',
  'RequestPasswordResetPayload',
  'ResendInvitationPayload',
  'ReservationConnection',
  'ReservationEdge',
  'ReservationEvent',
  'ReservationPayload',
  'ResetPasswordPayload',
  'RevokeOtherSignInSessionsPayload',
  'RevokePartnerApiKeyPayload',
  'RevokeSignInSessionPayload',
  'SecondFactorSetup',
  'SecondFactorSetupPayload',
  'SecondFactorStatus',
  'SignAgreementPayload',
  'StaffActionConnection',
  'StaffActionEdge',
  'TherapistAssignment',
  'TherapistConnection',
  'TherapistEdge',
  'UserError',
  'VerifyEmailPayload',
  'Viewer',
] as const;

/** Invalidates every cached variant (all arguments) of one field of an entity. */
function invalidateField(cache: Cache, entity: Entity, fieldName: string): void {
  for (const field of cache.inspectFields(entity)) {
    if (field.fieldName === fieldName) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

const group = (id: string) => ({ __typename: 'Group', id });
const reservation = (id: string) => ({ __typename: 'Reservation', id });

/**
 * The fields of a group that change when seats change hands: its figures, and its roster and
 * waitlist (every cached variant of them).
 *
 * Never the whole Group entity: graphcache reads a mutation's payload back from the cache after
 * these updaters run, so invalidating an object the payload points at (a move's target group, an
 * opened or updated group) empties the payload – the move dialog then never saw its success – and
 * throws away the fresh values it has just written.
 */
const SEAT_FIELDS: ReadonlySet<string> = new Set([
  'seatsTaken',
  'seatsHeld',
  'seatsAvailable',
  'waitlistLength',
  'reservations',
  'waitlist',
]);

/**
 * Invalidates a group's `fields` (all its cached fields when null), except those a mutation's
 * payload has just written for it (`fresh`: the payload's Group object; the app's operations use
 * no aliases, so its keys are field names). Queries on screen that read an invalidated field refetch.
 */
function invalidateGroupFields(cache: Cache, id: string, fields: ReadonlySet<string> | null, fresh: Record<string, unknown> | null): void {
  const key = group(id);
  for (const field of cache.inspectFields(key)) {
    if ((fields === null || fields.has(field.fieldName)) && !(fresh && field.fieldName in fresh)) {
      cache.invalidate(key, field.fieldName, field.arguments ?? undefined);
    }
  }
}

/** Seats and group figures change: every group list (the "has seats" filter, counts) and member list. */
function listsChanged(cache: Cache): void {
  invalidateField(cache, 'Query', 'groups');
  invalidateField(cache, 'Query', 'members');
}

/**
 * A seat changed hands in these groups: their figures, rosters and waitlists are stale, and so
 * are the group and member lists and the member's own reservations.
 */
function seatsMoved(cache: Cache, groupIds: (string | null | undefined)[], memberId: string | null): void {
  for (const id of new Set(groupIds)) if (id) invalidateGroupFields(cache, id, SEAT_FIELDS, null);
  listsChanged(cache);
  if (memberId) invalidateField(cache, { __typename: 'Member', id: memberId }, 'reservations');
}

/**
 * A group mutation (update, open, cancel) returned the group: what its payload brought is fresh,
 * anything else cached of it may be stale (a higher capacity promotes the waitlist, a new schedule
 * replaces the sessions, cancelling ends every reservation).
 */
function groupChanged(cache: Cache, result: Record<string, unknown>, field: string, id: string): void {
  const payload = result[field] as { group?: Record<string, unknown> | null } | null | undefined;
  invalidateGroupFields(cache, id, null, payload?.group ?? null);
  listsChanged(cache);
}

function groupOfReservation(cache: Cache, reservationId: string): string | null {
  const link = cache.resolve(reservation(reservationId), 'group');
  return typeof link === 'string' ? (cache.resolve(link, 'id') as string | null) : null;
}

function memberOfReservation(cache: Cache, reservationId: string): string | null {
  const link = cache.resolve(reservation(reservationId), 'member');
  return typeof link === 'string' ? (cache.resolve(link, 'id') as string | null) : null;
}

/**
 * A staff mutation was called: the action log has a new row (whatever came of it). The lists on
 * screen refetch; other actions' rows appear when the log is next opened (cache-and-network).
 */
function logged(cache: Cache): void {
  invalidateField(cache, 'Query', 'staffActions');
}

type Input = { input: Record<string, unknown> };
const input = (args: Record<string, unknown>) => (args as Input).input;
const payloadOk = (result: Record<string, unknown>, field: string) => {
  const payload = result[field] as { userErrors?: unknown[] } | null | undefined;
  return !!payload && (payload.userErrors?.length ?? 0) === 0;
};

/** Mutations that change what `viewer` says about the caller's own sign-in. */
const OWN_SIGN_IN_MUTATIONS = [
  'confirmSecondFactorSetup',
  'regenerateRecoveryCodes',
  'removeSecondFactor',
  'revokeSignInSession',
  'revokeOtherSignInSessions',
] as const;

/**
 * Types with an `id` that is not their own identity, also stored inside their parent: a
 * StaffActionChange's `id` is the changed object's row id, shared by every action that changed
 * that object — keyed by it, one action's changes would overwrite another's in the cache.
 */
const ID_IS_NOT_IDENTITY = ['StaffActionChange'] as const;

export const cacheConfig: CacheExchangeOpts = {
  keys: Object.fromEntries([...EMBEDDED_TYPES, ...ID_IS_NOT_IDENTITY].map((typename) => [typename, () => null])),
  updates: {
    Mutation: {
      createGroup(result, _args, cache) {
        if (payloadOk(result, 'createGroup')) {
          invalidateField(cache, 'Query', 'groups');
        }
      },
      updateGroup(result, args, cache) {
        if (payloadOk(result, 'updateGroup')) groupChanged(cache, result, 'updateGroup', input(args).id as string);
      },
      openGroup(result, args, cache) {
        if (payloadOk(result, 'openGroup')) groupChanged(cache, result, 'openGroup', input(args).id as string);
      },
      cancelGroup(result, args, cache) {
        if (payloadOk(result, 'cancelGroup')) groupChanged(cache, result, 'cancelGroup', input(args).id as string);
      },
      reserveSeat(result, args, cache) {
        if (payloadOk(result, 'reserveSeat'))
          seatsMoved(cache, [input(args).groupId as string], (input(args).memberId as string | undefined) ?? null);
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
        logged(cache);
      },
      // The payload brings the account's new status; a refused approval is logged too.
      approveTherapist(_result, _args, cache) {
        logged(cache);
      },
      inviteAdmin(result, _args, cache) {
        if (payloadOk(result, 'inviteAdmin')) invalidateField(cache, 'Query', 'admins');
        logged(cache);
      },
      approveAdmin(_result, _args, cache) {
        logged(cache);
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
      // The signed-in person's own sign-in (viewer.secondFactor, viewer.signInSessions) changed.
      ...Object.fromEntries(
        OWN_SIGN_IN_MUTATIONS.map((field) => [
          field,
          (result: Record<string, unknown>, _args: Record<string, unknown>, cache: Cache) => {
            if (payloadOk(result, field)) invalidateField(cache, 'Query', 'viewer');
          },
        ]),
      ),
    },
  },
};
