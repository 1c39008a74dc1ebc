/**
 * The identifier matrix (docs/personal-identifiers.md): every role against the subject's
 * protected fields (Member.legalName, email, phone, dateOfBirth, emergencyContact and
 * Signature.typedName) through every path that reaches the subject or its signature.
 *
 * The paths include the group waitlist, attendance (per member and per session) and the payloads
 * of the reservation and attendance mutations. Two things only the member itself gets are run
 * through the same roles: the list of who read its identifiers (`Member.identifierReads`, through
 * member, node, members and viewer) and the export of its data (`exportMyData`).
 *
 * The expected outcomes are written by hand in EXPECTED_READS / EXPECTED_MUTATIONS below and
 * turned into whole expected responses by small hand-written shape builders, never taken from
 * the code under test. Exactly the lead therapist, the co-therapist and the member itself read
 * values; everyone else gets null + FORBIDDEN at the field, NOT_FOUND for the object, no entry
 * in a list, or UNAUTHENTICATED / FORBIDDEN for the whole operation.
 */
import { emailIndex } from '@kindred/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretHash } from '../../src/authz/credentials.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import { type Mailbox, startMailbox } from '../support/mailbox.js';
import { auditedReadsOf, therapistAccountNames } from '../support/identifier-reads.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { ANOTHER_IDENTITY, addGroup, addMember, buildWorld, type Identity, SUBJECT_IDENTITY, type World } from '../support/world.js';

type Role = 'anonymous' | 'subject' | 'another' | 'lead' | 'co' | 'otherTherapist' | 'admin' | 'referringPartner' | 'otherPartner';

/**
 * - values: the subject is reached and its identifiers are returned;
 * - FORBIDDEN: the subject is reached, every identifier is null with FORBIDDEN at its path;
 * - NOT_FOUND: the object is null with NOT_FOUND (as if it did not exist), or for a mutation the
 *   user error NOT_FOUND;
 * - UNAUTHENTICATED: the whole operation (or list) needs a signed-in caller;
 * - DENIED: the whole operation (or list) is refused with FORBIDDEN; the subject is never reached;
 * - absent: the list (or payload) answers without the subject in it.
 */
type Outcome = 'values' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'DENIED' | 'absent';

type ReadPath =
  | 'member'
  | 'nodeMember'
  | 'nodes'
  | 'members'
  | 'membersOfGroup'
  | 'roster'
  | 'nestedRoster'
  | 'reservationMember'
  | 'memberSignatures'
  | 'nodeSignature'
  | 'viewer'
  | 'memberAttendance'
  | 'sessionAttendance'
  | 'waitlist';

/**
 * memberAttendance and sessionAttendance read the subject's attendance at group A's first session;
 * Session.attendance is FORBIDDEN (DENIED) even for anonymous callers, as its contract says.
 * waitlist reads group C (led like group A), where the subject is first on the waitlist.
 */
// biome-ignore format: the table reads best aligned, one row per line
const EXPECTED_READS: Record<Role, Record<ReadPath, Outcome>> = {
  anonymous:        { member: 'NOT_FOUND', nodeMember: 'NOT_FOUND', nodes: 'NOT_FOUND', members: 'UNAUTHENTICATED', membersOfGroup: 'UNAUTHENTICATED', roster: 'UNAUTHENTICATED', nestedRoster: 'NOT_FOUND', reservationMember: 'NOT_FOUND', memberSignatures: 'NOT_FOUND', nodeSignature: 'NOT_FOUND', viewer: 'absent', memberAttendance: 'NOT_FOUND', sessionAttendance: 'UNAUTHENTICATED', waitlist: 'UNAUTHENTICATED' },
  subject:          { member: 'values',    nodeMember: 'values',    nodes: 'values',    members: 'values',          membersOfGroup: 'values',          roster: 'values',          nestedRoster: 'values',    reservationMember: 'values',    memberSignatures: 'values',    nodeSignature: 'values',    viewer: 'values', memberAttendance: 'values',    sessionAttendance: 'DENIED',    waitlist: 'DENIED' },
  another:          { member: 'NOT_FOUND', nodeMember: 'NOT_FOUND', nodes: 'NOT_FOUND', members: 'absent',          membersOfGroup: 'absent',          roster: 'absent',          nestedRoster: 'NOT_FOUND', reservationMember: 'NOT_FOUND', memberSignatures: 'NOT_FOUND', nodeSignature: 'NOT_FOUND', viewer: 'absent', memberAttendance: 'NOT_FOUND', sessionAttendance: 'DENIED',    waitlist: 'DENIED' },
  lead:             { member: 'values',    nodeMember: 'values',    nodes: 'values',    members: 'values',          membersOfGroup: 'values',          roster: 'values',          nestedRoster: 'values',    reservationMember: 'values',    memberSignatures: 'values',    nodeSignature: 'values',    viewer: 'absent', memberAttendance: 'values',    sessionAttendance: 'values',    waitlist: 'values' },
  co:               { member: 'values',    nodeMember: 'values',    nodes: 'values',    members: 'values',          membersOfGroup: 'values',          roster: 'values',          nestedRoster: 'values',    reservationMember: 'values',    memberSignatures: 'values',    nodeSignature: 'values',    viewer: 'absent', memberAttendance: 'values',    sessionAttendance: 'values',    waitlist: 'values' },
  otherTherapist:   { member: 'NOT_FOUND', nodeMember: 'NOT_FOUND', nodes: 'NOT_FOUND', members: 'absent',          membersOfGroup: 'NOT_FOUND',         roster: 'DENIED',          nestedRoster: 'NOT_FOUND', reservationMember: 'NOT_FOUND', memberSignatures: 'NOT_FOUND', nodeSignature: 'NOT_FOUND', viewer: 'absent', memberAttendance: 'NOT_FOUND', sessionAttendance: 'DENIED',    waitlist: 'DENIED' },
  admin:            { member: 'FORBIDDEN', nodeMember: 'FORBIDDEN', nodes: 'FORBIDDEN', members: 'FORBIDDEN',       membersOfGroup: 'FORBIDDEN',       roster: 'FORBIDDEN',       nestedRoster: 'FORBIDDEN', reservationMember: 'FORBIDDEN', memberSignatures: 'FORBIDDEN', nodeSignature: 'FORBIDDEN', viewer: 'absent', memberAttendance: 'FORBIDDEN', sessionAttendance: 'FORBIDDEN', waitlist: 'FORBIDDEN' },
  referringPartner: { member: 'FORBIDDEN', nodeMember: 'FORBIDDEN', nodes: 'FORBIDDEN', members: 'FORBIDDEN',       membersOfGroup: 'FORBIDDEN',       roster: 'FORBIDDEN',       nestedRoster: 'FORBIDDEN', reservationMember: 'FORBIDDEN', memberSignatures: 'FORBIDDEN', nodeSignature: 'FORBIDDEN', viewer: 'absent', memberAttendance: 'FORBIDDEN', sessionAttendance: 'DENIED',    waitlist: 'DENIED' },
  otherPartner:     { member: 'NOT_FOUND', nodeMember: 'NOT_FOUND', nodes: 'NOT_FOUND', members: 'absent',          membersOfGroup: 'absent',          roster: 'absent',          nestedRoster: 'NOT_FOUND', reservationMember: 'NOT_FOUND', memberSignatures: 'NOT_FOUND', nodeSignature: 'NOT_FOUND', viewer: 'absent', memberAttendance: 'NOT_FOUND', sessionAttendance: 'DENIED',    waitlist: 'DENIED' },
};

/**
 * The other member of the world ("Sam", CONFIRMED in group B, referred by the other partner) as
 * it appears in the unfiltered `members` list and in `viewer.member`, so those whole responses
 * can be compared too. Sam's own therapist (otherTherapist) and Sam itself read Sam's values.
 */
// biome-ignore format: the table reads best aligned, one row per line
const EXPECTED_ANOTHER_IN: Record<'members' | 'viewer', Record<Role, Outcome>> = {
  members: { anonymous: 'UNAUTHENTICATED', subject: 'absent', another: 'values', lead: 'absent', co: 'absent', otherTherapist: 'values', admin: 'FORBIDDEN', referringPartner: 'absent', otherPartner: 'FORBIDDEN' },
  viewer:  { anonymous: 'absent',          subject: 'absent', another: 'values', lead: 'absent', co: 'absent', otherTherapist: 'absent', admin: 'absent',    referringPartner: 'absent', otherPartner: 'absent' },
};

type MutationPath = 'signAgreement' | 'registerMember' | 'reserveSeat' | 'cancelReservation' | 'removeReservation' | 'recordAttendance';

/**
 * signAgreement: the caller signs the agreement's latest version for the subject (a member may
 * sign only for itself: `another` naming the subject gets NOT_FOUND on input.memberId, exactly
 * as for a member that does not exist).
 * registerMember: the "subject" is the member just registered. A person registering themself
 * anonymously gets no member and no session in the answer (absent): the account waits for the
 * link mailed to the address, and the answer is the same whether the address was taken or not.
 * reserveSeat / cancelReservation / removeReservation: the caller reserves a seat for the subject
 * in group D (led like group A), or cancels / removes the subject's seat there; the payload's
 * reservation.member is the subject. recordAttendance: the caller records the subject at group A's
 * second session; the payload's attendance.member is the subject. NOT_FOUND is the user error on
 * the member, reservation or session ID, exactly as for one that does not exist.
 */
// biome-ignore format: the table reads best aligned, one row per line
const EXPECTED_MUTATIONS: Record<Role, Record<MutationPath, Outcome>> = {
  anonymous:        { signAgreement: 'UNAUTHENTICATED', registerMember: 'absent',    reserveSeat: 'UNAUTHENTICATED', cancelReservation: 'UNAUTHENTICATED', removeReservation: 'UNAUTHENTICATED', recordAttendance: 'UNAUTHENTICATED' },
  subject:          { signAgreement: 'values',          registerMember: 'DENIED',    reserveSeat: 'values',          cancelReservation: 'values',          removeReservation: 'DENIED',          recordAttendance: 'DENIED' },
  another:          { signAgreement: 'NOT_FOUND',       registerMember: 'DENIED',    reserveSeat: 'NOT_FOUND',       cancelReservation: 'NOT_FOUND',       removeReservation: 'DENIED',          recordAttendance: 'DENIED' },
  lead:             { signAgreement: 'DENIED',          registerMember: 'DENIED',    reserveSeat: 'DENIED',          cancelReservation: 'DENIED',          removeReservation: 'values',          recordAttendance: 'values' },
  co:               { signAgreement: 'DENIED',          registerMember: 'DENIED',    reserveSeat: 'DENIED',          cancelReservation: 'DENIED',          removeReservation: 'values',          recordAttendance: 'values' },
  otherTherapist:   { signAgreement: 'DENIED',          registerMember: 'DENIED',    reserveSeat: 'DENIED',          cancelReservation: 'DENIED',          removeReservation: 'NOT_FOUND',       recordAttendance: 'NOT_FOUND' },
  admin:            { signAgreement: 'DENIED',          registerMember: 'FORBIDDEN', reserveSeat: 'FORBIDDEN',       cancelReservation: 'FORBIDDEN',       removeReservation: 'FORBIDDEN',       recordAttendance: 'DENIED' },
  referringPartner: { signAgreement: 'FORBIDDEN',       registerMember: 'FORBIDDEN', reserveSeat: 'FORBIDDEN',       cancelReservation: 'FORBIDDEN',       removeReservation: 'DENIED',          recordAttendance: 'DENIED' },
  otherPartner:     { signAgreement: 'NOT_FOUND',       registerMember: 'FORBIDDEN', reserveSeat: 'NOT_FOUND',       cancelReservation: 'NOT_FOUND',       removeReservation: 'DENIED',          recordAttendance: 'DENIED' },
};

const ROLES = Object.keys(EXPECTED_READS) as Role[];
const VIEWER_ROLE: Record<Role, string> = {
  anonymous: 'ANONYMOUS',
  subject: 'MEMBER',
  another: 'MEMBER',
  lead: 'THERAPIST',
  co: 'THERAPIST',
  otherTherapist: 'THERAPIST',
  admin: 'ADMIN',
  referringPartner: 'PARTNER',
  otherPartner: 'PARTNER',
};

const IDENTIFIERS = ['legalName', 'email', 'phone', 'dateOfBirth', 'emergencyContact'] as const;
const MEMBER_FIELDS = 'id displayName legalName email phone dateOfBirth emergencyContact { name phone relationship }';

/** Every form in which one of the identity's values could leak, lower-cased. */
function leakNeedles(identity: Identity): string[] {
  return [
    identity.legalName,
    identity.email,
    identity.phone,
    identity.phone.replace(/^\+1/, ''),
    identity.dateOfBirth,
    identity.emergencyContact.name,
    identity.emergencyContact.phone,
    identity.emergencyContact.phone.replace(/^\+1/, ''),
    identity.typedName,
  ].map((v) => v.toLowerCase());
}
const SUBJECT_NEEDLES = [...leakNeedles(SUBJECT_IDENTITY), 'quillfeather', SUBJECT_IDENTITY.emergencyContact.relationship];

function expectNoLeak(text: string, needles: string[] = SUBJECT_NEEDLES) {
  const haystack = text.toLowerCase();
  const leaked = needles.filter((needle) => haystack.includes(needle));
  expect(leaked, `identifier values in ${text}`).toEqual([]);
}

/**
 * Where the outcome is `values`, the subject's values are in the answer (so the needles do find
 * them and the leak check can fire); anywhere else none of them is.
 */
function expectValuesOnlyWhereRead(text: string, outcome: string) {
  if (outcome === 'values') expect(SUBJECT_NEEDLES.filter((n) => text.toLowerCase().includes(n))).not.toEqual([]);
  else expectNoLeak(text);
}

interface Normalised {
  data: unknown;
  errors: { path: string | null; code: unknown }[];
  /** Anything else in the body (response extensions): expected empty. */
  other: Record<string, unknown>;
}

/**
 * The whole response, each error reduced to its path and code plus anything unexpected it carries
 * (so an extra extension fails the comparison; messages are covered by the leak check), sorted
 * (the order of errors is not part of the contract).
 */
function normalise(response: GraphQLResponse): Normalised {
  const { data, errors = [], ...other } = response.body;
  return {
    data,
    errors: errors
      .map(({ message: _message, locations: _locations, path, extensions, ...rest }: Record<string, any>) => {
        const { code, ...moreExtensions } = extensions ?? {};
        return { path: path ? path.join('.') : null, code, ...rest, ...moreExtensions };
      })
      .sort((a, b) => String(a.path).localeCompare(String(b.path))),
    other,
  };
}

function expected(data: unknown, errors: { path: string; code: string }[] = []): Normalised {
  return { data, errors: [...errors].sort((a, b) => a.path.localeCompare(b.path)), other: {} };
}

let app: TestApp;
let world: World;
let mailbox: Mailbox;
const tokens = {} as Record<Role, string | undefined>;
/** Group A's first session, where the subject's attendance is recorded. */
let sessionA1: string;
/** Group C (lead + co-therapist, one seat, taken) and the subject's waitlist place in it. */
let groupC: { id: string; globalId: string };
let waitlistPlace: string;

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startTestApp({ smtpUrl: mailbox.url });
  world = await buildWorld(app);
  Object.assign(tokens, {
    anonymous: undefined,
    subject: world.members.subject.token,
    another: world.members.another.token,
    lead: world.therapists.lead.token,
    co: world.therapists.co.token,
    otherTherapist: world.therapists.other.token,
    admin: world.admin.token,
    referringPartner: world.partners.referring.token,
    otherPartner: world.partners.other.token,
  });
  const [attended] = await app.db.query<{ session_id: string }>(
    `insert into attendance (session_id, member_id, status, recorded_by_id)
     select id, $1, 'PRESENT', $2 from group_session where group_id = $3 and position = 1 returning session_id`,
    [world.members.subject.id, world.therapists.lead.id, world.groups.a.id],
  );
  sessionA1 = toGlobalId('Session', attended!.session_id);
});
afterAll(async () => {
  await app.close();
  await mailbox.stop();
});

// ---------------------------------------------------------------------------------------------
// Shapes: how one member or signature looks when its identifiers are readable or not.

type Who = 'subject' | 'another';

function memberShape(who: Who, outcome: Outcome) {
  const identity = who === 'subject' ? SUBJECT_IDENTITY : ANOTHER_IDENTITY;
  const readable = outcome === 'values';
  return {
    id: who === 'subject' ? world.members.subject.globalId : world.members.another.globalId,
    displayName: who === 'subject' ? 'Rowan' : 'Sam',
    legalName: readable ? identity.legalName : null,
    email: readable ? identity.email : null,
    phone: readable ? identity.phone : null,
    dateOfBirth: readable ? identity.dateOfBirth : null,
    emergencyContact: readable ? identity.emergencyContact : null,
  };
}

/** FORBIDDEN at each identifier of the member at `path`, when the outcome is FORBIDDEN. */
function memberErrors(path: string, outcome: Outcome) {
  return outcome === 'FORBIDDEN' ? IDENTIFIERS.map((field) => ({ path: `${path}.${field}`, code: 'FORBIDDEN' })) : [];
}

const typedNameOf = (outcome: Outcome) => (outcome === 'values' ? SUBJECT_IDENTITY.typedName : null);
const typedNameErrors = (path: string, outcome: Outcome) => (outcome === 'FORBIDDEN' ? [{ path, code: 'FORBIDDEN' }] : []);

/** A root field that is null with NOT_FOUND, or refuses the whole operation. */
function refused(field: string, outcome: Outcome, data: unknown = { [field]: null }) {
  return expected(data, [{ path: field, code: outcome === 'DENIED' ? 'FORBIDDEN' : outcome }]);
}

// ---------------------------------------------------------------------------------------------
// Read paths.

interface ReadCase {
  query: string;
  variables(): Record<string, unknown>;
  expect(outcome: Outcome, role: Role): Normalised;
  /**
   * Arranges what only this path needs, before its cases and after every path above it has run
   * (it would change what they see): such paths come last.
   */
  arrange?(): Promise<void>;
}

const READS: Record<ReadPath, ReadCase> = {
  member: {
    query: `query MatrixMember($id: ID!) { member(id: $id) { ${MEMBER_FIELDS} } }`,
    variables: () => ({ id: world.members.subject.globalId }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? refused('member', outcome)
        : expected({ member: memberShape('subject', outcome) }, memberErrors('member', outcome)),
  },

  nodeMember: {
    query: `query MatrixNodeMember($id: ID!) { node(id: $id) { __typename ... on Member { ${MEMBER_FIELDS} } } }`,
    variables: () => ({ id: world.members.subject.globalId }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? refused('node', outcome)
        : expected({ node: { __typename: 'Member', ...memberShape('subject', outcome) } }, memberErrors('node', outcome)),
  },

  nodes: {
    query: `query MatrixNodes($ids: [ID!]!) {
      nodes(ids: $ids) { __typename ... on Member { ${MEMBER_FIELDS} } ... on Signature { id typedName } }
    }`,
    variables: () => ({ ids: [world.members.subject.globalId, world.members.subject.signatureGlobalId] }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? expected({ nodes: [null, null] }, [
            { path: 'nodes.0', code: 'NOT_FOUND' },
            { path: 'nodes.1', code: 'NOT_FOUND' },
          ])
        : expected(
            {
              nodes: [
                { __typename: 'Member', ...memberShape('subject', outcome) },
                { __typename: 'Signature', id: world.members.subject.signatureGlobalId, typedName: typedNameOf(outcome) },
              ],
            },
            [...memberErrors('nodes.0', outcome), ...typedNameErrors('nodes.1.typedName', outcome)],
          ),
  },

  members: {
    query: `query MatrixMembers { members(first: 50) { nodes { ${MEMBER_FIELDS} } } }`,
    variables: () => ({}),
    expect: (outcome, role) => {
      if (outcome === 'UNAUTHENTICATED') return refused('members', outcome, null);
      // By display name: Rowan (the subject) before Sam.
      const entries = (
        [
          ['subject', outcome],
          ['another', EXPECTED_ANOTHER_IN.members[role]],
        ] as [Who, Outcome][]
      ).filter(([, o]) => o !== 'absent');
      return expected(
        { members: { nodes: entries.map(([who, o]) => memberShape(who, o)) } },
        entries.flatMap(([, o], i) => memberErrors(`members.nodes.${i}`, o)),
      );
    },
  },

  membersOfGroup: {
    query: `query MatrixMembersOfGroup($group: ID!) { members(first: 50, groupId: $group) { nodes { ${MEMBER_FIELDS} } } }`,
    variables: () => ({ group: world.groups.a.globalId }),
    expect: (outcome) => {
      // A group whose roster the caller may not see answers as a group that does not exist.
      if (outcome === 'UNAUTHENTICATED' || outcome === 'NOT_FOUND') return refused('members', outcome, null);
      if (outcome === 'absent') return expected({ members: { nodes: [] } });
      return expected({ members: { nodes: [memberShape('subject', outcome)] } }, memberErrors('members.nodes.0', outcome));
    },
  },

  roster: {
    query: `query MatrixRoster($group: ID!) {
      group(id: $group) { id reservations(first: 50) { nodes { id member { ${MEMBER_FIELDS} } } } }
    }`,
    variables: () => ({ group: world.groups.a.globalId }),
    expect: (outcome) => {
      if (outcome === 'UNAUTHENTICATED' || outcome === 'DENIED')
        return expected({ group: { id: world.groups.a.globalId, reservations: null } }, [
          { path: 'group.reservations', code: outcome === 'DENIED' ? 'FORBIDDEN' : outcome },
        ]);
      const nodes =
        outcome === 'absent' ? [] : [{ id: world.members.subject.reservationGlobalId, member: memberShape('subject', outcome) }];
      return expected(
        { group: { id: world.groups.a.globalId, reservations: { nodes } } },
        memberErrors('group.reservations.nodes.0.member', outcome),
      );
    },
  },

  nestedRoster: {
    query: `query MatrixNestedRoster($id: ID!) {
      member(id: $id) { id reservations { id group { id reservations(first: 50) { nodes { id member { ${MEMBER_FIELDS} } } } } } }
    }`,
    variables: () => ({ id: world.members.subject.globalId }),
    expect: (outcome) => {
      if (outcome === 'NOT_FOUND') return refused('member', outcome);
      const reservation = world.members.subject.reservationGlobalId;
      return expected(
        {
          member: {
            id: world.members.subject.globalId,
            reservations: [
              {
                id: reservation,
                group: {
                  id: world.groups.a.globalId,
                  reservations: { nodes: [{ id: reservation, member: memberShape('subject', outcome) }] },
                },
              },
            ],
          },
        },
        memberErrors('member.reservations.0.group.reservations.nodes.0.member', outcome),
      );
    },
  },

  reservationMember: {
    query: `query MatrixReservation($id: ID!) { node(id: $id) { id ... on Reservation { status member { ${MEMBER_FIELDS} } } } }`,
    variables: () => ({ id: world.members.subject.reservationGlobalId }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? refused('node', outcome)
        : expected(
            { node: { id: world.members.subject.reservationGlobalId, status: 'CONFIRMED', member: memberShape('subject', outcome) } },
            memberErrors('node.member', outcome),
          ),
  },

  memberSignatures: {
    query: `query MatrixMemberSignatures($id: ID!) { member(id: $id) { id signatures { id channel typedName } } }`,
    variables: () => ({ id: world.members.subject.globalId }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? refused('member', outcome)
        : expected(
            {
              member: {
                id: world.members.subject.globalId,
                signatures: [{ id: world.members.subject.signatureGlobalId, channel: 'PARTNER', typedName: typedNameOf(outcome) }],
              },
            },
            typedNameErrors('member.signatures.0.typedName', outcome),
          ),
  },

  nodeSignature: {
    query: `query MatrixSignature($id: ID!) {
      node(id: $id) { id ... on Signature { channel typedName member { ${MEMBER_FIELDS} } } }
    }`,
    variables: () => ({ id: world.members.subject.signatureGlobalId }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? refused('node', outcome)
        : expected(
            {
              node: {
                id: world.members.subject.signatureGlobalId,
                channel: 'PARTNER',
                typedName: typedNameOf(outcome),
                member: memberShape('subject', outcome),
              },
            },
            [...typedNameErrors('node.typedName', outcome), ...memberErrors('node.member', outcome)],
          ),
  },

  viewer: {
    query: `query MatrixViewer { viewer { role member { ${MEMBER_FIELDS} } } }`,
    variables: () => ({}),
    expect: (outcome, role) => {
      const another = EXPECTED_ANOTHER_IN.viewer[role];
      const member = outcome !== 'absent' ? memberShape('subject', outcome) : another !== 'absent' ? memberShape('another', another) : null;
      return expected({ viewer: { role: VIEWER_ROLE[role], member } });
    },
  },

  memberAttendance: {
    query: `query MatrixMemberAttendance($id: ID!) { member(id: $id) { id attendance { status member { ${MEMBER_FIELDS} } } } }`,
    variables: () => ({ id: world.members.subject.globalId }),
    expect: (outcome) =>
      outcome === 'NOT_FOUND'
        ? refused('member', outcome)
        : expected(
            {
              member: { id: world.members.subject.globalId, attendance: [{ status: 'PRESENT', member: memberShape('subject', outcome) }] },
            },
            memberErrors('member.attendance.0.member', outcome),
          ),
  },

  sessionAttendance: {
    query: `query MatrixSessionAttendance($id: ID!) {
      node(id: $id) { id ... on Session { attendance { status member { ${MEMBER_FIELDS} } } } }
    }`,
    variables: () => ({ id: sessionA1 }),
    expect: (outcome) =>
      outcome === 'DENIED' || outcome === 'UNAUTHENTICATED'
        ? expected({ node: { id: sessionA1, attendance: null } }, [
            { path: 'node.attendance', code: outcome === 'DENIED' ? 'FORBIDDEN' : outcome },
          ])
        : expected(
            { node: { id: sessionA1, attendance: [{ status: 'PRESENT', member: memberShape('subject', outcome) }] } },
            memberErrors('node.attendance.0.member', outcome),
          ),
  },

  waitlist: {
    query: `query MatrixWaitlist($group: ID!) {
      group(id: $group) { id waitlist(first: 10) { nodes { id waitlistPosition member { ${MEMBER_FIELDS} } } } }
    }`,
    variables: () => ({ group: groupC.globalId }),
    async arrange() {
      groupC = await addGroup(app, world, { title: 'Group C', capacity: 1 });
      const filler = await addMember(app, world, { displayName: 'Filler', partner: null });
      const [, place] = await app.db.query<{ id: string }>(
        `insert into reservation (id, group_id, member_id, status, waitlist_seq)
         values (gen_random_uuid(), $1, $2, 'CONFIRMED', null), (gen_random_uuid(), $1, $3, 'WAITLISTED', nextval('reservation_waitlist_seq'))
         returning id`,
        [groupC.id, filler.id, world.members.subject.id],
      );
      waitlistPlace = toGlobalId('Reservation', place!.id);
    },
    expect: (outcome) => {
      if (outcome === 'UNAUTHENTICATED' || outcome === 'DENIED')
        return expected({ group: { id: groupC.globalId, waitlist: null } }, [
          { path: 'group.waitlist', code: outcome === 'DENIED' ? 'FORBIDDEN' : outcome },
        ]);
      return expected(
        {
          group: {
            id: groupC.globalId,
            waitlist: { nodes: [{ id: waitlistPlace, waitlistPosition: 1, member: memberShape('subject', outcome) }] },
          },
        },
        memberErrors('group.waitlist.nodes.0.member', outcome),
      );
    },
  },
};

describe('identifier matrix: reads', () => {
  for (const path of Object.keys(READS) as ReadPath[]) {
    describe(path, () => {
      const arrange = READS[path].arrange;
      if (arrange) beforeAll(arrange);
      for (const role of ROLES) {
        const outcome = EXPECTED_READS[role][path];
        it(`${role} → ${outcome}`, async () => {
          const read = READS[path];
          const response = await app.gql(read.query, { variables: read.variables(), token: tokens[role] });
          expect(normalise(response)).toEqual(read.expect(outcome, role));
          expectValuesOnlyWhereRead(response.text, outcome);
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Who read the identifiers (Member.identifierReads): the member itself only. Everyone who reaches
// the member gets null + FORBIDDEN at the field; the rest do not reach the member at all.

type ReadsPath = 'member' | 'node' | 'members' | 'viewer';

// biome-ignore format: the table reads best aligned, one row per line
const EXPECTED_IDENTIFIER_READS: Record<Role, Record<ReadsPath, Outcome>> = {
  anonymous:        { member: 'NOT_FOUND', node: 'NOT_FOUND', members: 'UNAUTHENTICATED', viewer: 'absent' },
  subject:          { member: 'values',    node: 'values',    members: 'values',          viewer: 'values' },
  another:          { member: 'NOT_FOUND', node: 'NOT_FOUND', members: 'absent',          viewer: 'absent' },
  lead:             { member: 'FORBIDDEN', node: 'FORBIDDEN', members: 'FORBIDDEN',       viewer: 'absent' },
  co:               { member: 'FORBIDDEN', node: 'FORBIDDEN', members: 'FORBIDDEN',       viewer: 'absent' },
  otherTherapist:   { member: 'NOT_FOUND', node: 'NOT_FOUND', members: 'absent',          viewer: 'absent' },
  admin:            { member: 'FORBIDDEN', node: 'FORBIDDEN', members: 'FORBIDDEN',       viewer: 'absent' },
  referringPartner: { member: 'FORBIDDEN', node: 'FORBIDDEN', members: 'FORBIDDEN',       viewer: 'absent' },
  otherPartner:     { member: 'NOT_FOUND', node: 'NOT_FOUND', members: 'absent',          viewer: 'absent' },
};

/**
 * The other members in the unfiltered `members` list and in `viewer.member`, by display name:
 * Filler (waitlisted in group C by the waitlist path above, no partner, no one here signs in as
 * it) and Sam. Each list is readable by its own member only.
 */
// biome-ignore format: the table reads best aligned, one row per line
const EXPECTED_OTHERS_READS_IN: Record<'members' | 'viewer', Record<'Filler' | 'Sam', Record<Role, Outcome>>> = {
  members: {
    Filler: { anonymous: 'UNAUTHENTICATED', subject: 'absent', another: 'absent', lead: 'FORBIDDEN', co: 'FORBIDDEN', otherTherapist: 'absent',    admin: 'FORBIDDEN', referringPartner: 'absent', otherPartner: 'absent' },
    Sam:    { anonymous: 'UNAUTHENTICATED', subject: 'absent', another: 'values', lead: 'absent',    co: 'absent',    otherTherapist: 'FORBIDDEN', admin: 'FORBIDDEN', referringPartner: 'absent', otherPartner: 'FORBIDDEN' },
  },
  viewer: {
    Filler: { anonymous: 'absent', subject: 'absent', another: 'absent', lead: 'absent', co: 'absent', otherTherapist: 'absent', admin: 'absent', referringPartner: 'absent', otherPartner: 'absent' },
    Sam:    { anonymous: 'absent', subject: 'absent', another: 'values', lead: 'absent', co: 'absent', otherTherapist: 'absent', admin: 'absent', referringPartner: 'absent', otherPartner: 'absent' },
  },
};

describe('identifier matrix: who read the identifiers', () => {
  const READS_FIELDS =
    'id displayName identifierReads(first: 20) { totalCount nodes { readAt readerKind readerDisplayName fields operationName } }';
  const QUERIES: Record<ReadsPath, { query: string; variables(): Record<string, unknown> }> = {
    member: {
      query: `query MatrixReadsMember($id: ID!) { member(id: $id) { ${READS_FIELDS} } }`,
      variables: () => ({ id: world.members.subject.globalId }),
    },
    node: {
      query: `query MatrixReadsNode($id: ID!) { node(id: $id) { ... on Member { ${READS_FIELDS} } } }`,
      variables: () => ({ id: world.members.subject.globalId }),
    },
    members: { query: `query MatrixReadsMembers { members(first: 50) { nodes { ${READS_FIELDS} } } }`, variables: () => ({}) },
    viewer: { query: `query MatrixReadsViewer { viewer { member { ${READS_FIELDS} } } }`, variables: () => ({}) },
  };

  let therapistNames: Map<string, string>;
  /** The members a list may hold, by display name. */
  const listed = {} as Record<'Filler' | 'Rowan' | 'Sam', { id: string; globalId: string }>;
  beforeAll(async () => {
    therapistNames = await therapistAccountNames(app, world);
    const [filler] = await app.db.query<{ id: string }>(`select id from member where display_name = 'Filler'`);
    Object.assign(listed, {
      Filler: { id: filler!.id, globalId: toGlobalId('Member', filler!.id) },
      Rowan: world.members.subject,
      Sam: world.members.another,
    });
  });

  /** One member as a path answers it: its newest reads and their count (from the audit rows, as they are before the request), or null. */
  async function withReads([displayName, outcome]: [keyof typeof listed, Outcome]) {
    const member = listed[displayName];
    const reads = await auditedReadsOf(app, member.id, therapistNames);
    return {
      id: member.globalId,
      displayName,
      identifierReads: outcome === 'values' ? { totalCount: reads.length, nodes: reads.slice(0, 20) } : null,
    };
  }
  const readsErrors = (path: string, outcome: Outcome) =>
    outcome === 'FORBIDDEN' ? [{ path: `${path}.identifierReads`, code: 'FORBIDDEN' }] : [];

  async function expectedFor(path: ReadsPath, role: Role): Promise<Normalised> {
    const outcome = EXPECTED_IDENTIFIER_READS[role][path];
    if (path === 'member' || path === 'node') {
      if (outcome === 'NOT_FOUND') return refused(path, outcome);
      return expected({ [path]: await withReads(['Rowan', outcome]) }, readsErrors(path, outcome));
    }
    if (path === 'members' && outcome === 'UNAUTHENTICATED') return refused('members', outcome, null);
    const others = EXPECTED_OTHERS_READS_IN[path];
    const entries = (
      [
        ['Filler', others.Filler[role]],
        ['Rowan', outcome],
        ['Sam', others.Sam[role]],
      ] as [keyof typeof listed, Outcome][]
    ).filter(([, o]) => o !== 'absent');
    if (path === 'viewer') {
      const [entry] = entries;
      return expected({ viewer: { member: entry ? await withReads(entry) : null } }, entry ? readsErrors('viewer.member', entry[1]) : []);
    }
    const nodes = await Promise.all(entries.map(withReads));
    return expected(
      { members: { nodes } },
      entries.flatMap(([, o], i) => readsErrors(`members.nodes.${i}`, o)),
    );
  }

  for (const path of Object.keys(QUERIES) as ReadsPath[]) {
    describe(path, () => {
      for (const role of ROLES) {
        it(`${role} → ${EXPECTED_IDENTIFIER_READS[role][path]}`, async () => {
          const want = await expectedFor(path, role);
          const response = await app.gql(QUERIES[path].query, { variables: QUERIES[path].variables(), token: tokens[role] });
          expect(normalise(response)).toEqual(want);
          expectNoLeak(response.text);
        });
      }
    });
  }

  it('gave the subject a list of reads by itself and by both of its therapists, by name', async () => {
    const reads = await auditedReadsOf(app, world.members.subject.id, therapistNames);
    expect(new Set(reads.map((read) => `${read.readerKind} ${read.readerDisplayName}`))).toEqual(
      new Set(['MEMBER null', 'THERAPIST Lead Therapist', 'THERAPIST Co Therapist']),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The export of a member's own data: it takes no argument, so an attacker cannot aim it at the
// subject; a member gets its own records only, everyone else nothing.

describe('identifier matrix: exportMyData', () => {
  const EXPORT = 'query MatrixExport { exportMyData { document } }';
  // biome-ignore format: one role per line
  const OUTCOMES: Record<Role, 'own' | 'UNAUTHENTICATED' | 'DENIED'> = {
    anonymous: 'UNAUTHENTICATED', subject: 'own', another: 'own', lead: 'DENIED', co: 'DENIED', otherTherapist: 'DENIED',
    admin: 'DENIED', referringPartner: 'DENIED', otherPartner: 'DENIED',
  };

  for (const role of ROLES) {
    it(`${role} → ${OUTCOMES[role] === 'own' ? 'its own records only, audited' : OUTCOMES[role]}`, async () => {
      const [last] = await app.db.query<{ max: number }>('select coalesce(max(id), 0)::int as max from identifier_audit');
      const response = await app.gql(EXPORT, { token: tokens[role] });
      const written = await app.db.query<{ member_id: string; operation_name: string }>(
        'select member_id, operation_name from identifier_audit where id > $1',
        [last!.max],
      );
      if (OUTCOMES[role] !== 'own') {
        expect(normalise(response)).toEqual(refused('exportMyData', OUTCOMES[role] as Outcome, null));
        expect(written).toEqual([]);
        expectNoLeak(response.text);
        return;
      }
      const who: Who = role === 'subject' ? 'subject' : 'another';
      const own = who === 'subject' ? world.members.subject : world.members.another;
      const identity = who === 'subject' ? SUBJECT_IDENTITY : ANOTHER_IDENTITY;
      expect(response.body.errors).toBeUndefined();
      const members = response.body.data.exportMyData.document.members as { id: string; displayName: string; identifiers: unknown }[];
      expect(members.map(({ id, displayName, identifiers }) => ({ id, displayName, identifiers }))).toEqual([
        {
          id: own.globalId,
          displayName: who === 'subject' ? 'Rowan' : 'Sam',
          identifiers: {
            legalName: identity.legalName,
            email: identity.email,
            phone: identity.phone,
            dateOfBirth: identity.dateOfBirth,
            emergencyContact: identity.emergencyContact,
          },
        },
      ]);
      expect(written.length).toBeGreaterThan(0);
      expect(written.every((row) => row.member_id === own.id && row.operation_name === 'MatrixExport')).toBe(true);
      expectValuesOnlyWhereRead(response.text, who === 'subject' ? 'values' : 'absent');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Mutation payloads. These run after the reads: they add signatures and members.

const PUBLISH = `mutation Publish($input: PublishAgreementVersionInput!) {
  publishAgreementVersion(input: $input) { agreementVersion { version } userErrors { code } }
}`;

const SIGN = `mutation MatrixSign($input: SignAgreementInput!) {
  signAgreement(input: $input) {
    signature { channel typedName member { ${MEMBER_FIELDS} } }
    userErrors { code field }
  }
}`;

const REGISTER = `mutation MatrixRegister($input: RegisterMemberInput!) {
  registerMember(input: $input) {
    member { ${MEMBER_FIELDS} }
    token
    userErrors { code field }
  }
}`;

const REQUEST_SIGN_IN = `mutation MatrixRequestSignIn($input: RequestMemberSignInInput!) {
  requestMemberSignIn(input: $input) { accepted userErrors { code field } }
}`;

function login(email: string) {
  return app.gql(`mutation($input: LoginInput!) { login(input: $input) { viewer { role member { id email } } userErrors { code } } }`, {
    variables: { input: { email, password: PASSWORD } },
  });
}

/** A session of the account that signs in with `email`, through login. */
async function sessionOf(email: string): Promise<string> {
  const response = await app.gql(`mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`, {
    variables: { input: { email, password: PASSWORD } },
  });
  expect(response.body.data.login.userErrors).toEqual([]);
  return response.body.data.login.token;
}

const PASSWORD = 'correct horse battery staple';

/** A fresh person for registerMember, with values unlike anyone else's in the world. */
function newcomer(n: number): Identity & { displayName: string } {
  return {
    displayName: `Newcomer ${n}`,
    legalName: `Zephyrine Marchbanks-${n}`,
    email: `zephyrine.marchbanks.${n}@example.org`,
    phone: `+1415555${2100 + n}`,
    dateOfBirth: `${1930 + n}-03-14`,
    emergencyContact: { name: `Orla Marchbanks-${n}`, phone: `+1415555${2200 + n}`, relationship: 'friend' },
    typedName: `Zephyrine M. ${n}`,
  };
}

/** Registers a member as the referring partner, without a password, and returns its global ID. */
async function registerAsReferringPartner(person: Identity & { displayName: string }): Promise<string> {
  const { typedName: _typedName, ...input } = person;
  const response = await app.gql(REGISTER, {
    variables: { input: { ...input, timeZone: 'Europe/London' } },
    token: world.partners.referring.token,
  });
  expect(response.body.data?.registerMember.userErrors).toEqual([]);
  return response.body.data.registerMember.member.id;
}

describe('identifier matrix: mutation payloads', () => {
  describe('signAgreement', () => {
    for (const role of ROLES) {
      const outcome = EXPECTED_MUTATIONS[role].signAgreement;
      it(`${role} signing for the subject → ${outcome}`, async () => {
        const published = await app.gql(PUBLISH, {
          variables: { input: { agreementId: world.agreement.globalId, bodyMarkdown: `Text for ${role}.`, requiresResign: true } },
          token: world.admin.token,
        });
        expect(published.body.data?.publishAgreementVersion.userErrors).toEqual([]);

        const typedName = role === 'another' ? ANOTHER_IDENTITY.typedName : SUBJECT_IDENTITY.typedName;
        const response = await app.gql(SIGN, {
          variables: { input: { agreementId: world.agreement.globalId, memberId: world.members.subject.globalId, typedName } },
          token: tokens[role],
        });

        const want: Record<Outcome, Normalised | undefined> = {
          values: expected({
            signAgreement: {
              signature: { channel: 'MEMBER', typedName: SUBJECT_IDENTITY.typedName, member: memberShape('subject', 'values') },
              userErrors: [],
            },
          }),
          FORBIDDEN: expected(
            {
              signAgreement: {
                signature: { channel: 'PARTNER', typedName: null, member: memberShape('subject', 'FORBIDDEN') },
                userErrors: [],
              },
            },
            [
              { path: 'signAgreement.signature.typedName', code: 'FORBIDDEN' },
              ...memberErrors('signAgreement.signature.member', 'FORBIDDEN'),
            ],
          ),
          NOT_FOUND: expected({
            signAgreement: { signature: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'memberId'] }] },
          }),
          UNAUTHENTICATED: refused('signAgreement', 'UNAUTHENTICATED', null),
          DENIED: refused('signAgreement', 'DENIED', null),
          absent: undefined,
        };
        expect(normalise(response)).toEqual(want[outcome]);
        if (outcome === 'values') expect(response.text).toContain(SUBJECT_IDENTITY.typedName);
        else expectNoLeak(response.text);
      });
    }
  });

  describe('registerMember', () => {
    ROLES.forEach((role, n) => {
      const outcome = EXPECTED_MUTATIONS[role].registerMember;
      it(`${role} registering a member → ${outcome}`, async () => {
        const { typedName: _typedName, ...person } = newcomer(n);
        const input = { ...person, timeZone: 'Europe/London', ...(role === 'anonymous' ? { password: PASSWORD } : {}) };
        const response = await app.gql(REGISTER, { variables: { input }, token: tokens[role] });

        const normalised = normalise(response);
        if (outcome === 'DENIED') {
          expect(normalised).toEqual(refused('registerMember', 'DENIED', null));
        } else if (outcome === 'absent') {
          expect(normalised).toEqual(expected({ registerMember: { member: null, token: null, userErrors: [] } }));
        } else {
          expect(outcome).toBe('FORBIDDEN');
          expect(normalised).toEqual(
            expected(
              {
                registerMember: {
                  member: {
                    id: expect.any(String),
                    displayName: person.displayName,
                    legalName: null,
                    email: null,
                    phone: null,
                    dateOfBirth: null,
                    emergencyContact: null,
                  },
                  token: null,
                  userErrors: [],
                },
              },
              memberErrors('registerMember.member', 'FORBIDDEN'),
            ),
          );
        }
        expectNoLeak(response.text, [...SUBJECT_NEEDLES, ...leakNeedles(newcomer(n))]);
      });
    });

    it('refuses an anonymous registration without a password, and creates nobody', async () => {
      const { typedName: _typedName, ...person } = newcomer(50);
      const before = await app.db.query<{ n: number }>('select count(*)::int as n from member');
      const response = await app.gql(REGISTER, { variables: { input: { ...person, timeZone: 'Europe/London' } } });
      expect(normalise(response)).toEqual(
        expected({ registerMember: { member: null, token: null, userErrors: [{ code: 'REQUIRED', field: ['input', 'password'] }] } }),
      );
      expect(await app.db.query('select count(*)::int as n from member')).toEqual(before);
      expectNoLeak(response.text, [...SUBJECT_NEEDLES, ...leakNeedles(newcomer(50))]);
    });

    it('lets a person who registered themself read their identifiers once it followed the mailed link, not in login payloads', async () => {
      const { typedName: _typedName, ...person } = newcomer(60);
      const registered = await app.gql(REGISTER, {
        variables: { input: { ...person, timeZone: 'Europe/London', password: PASSWORD } },
      });
      expect(normalise(registered)).toEqual(expected({ registerMember: { member: null, token: null, userErrors: [] } }));
      expect((await login(person.email)).body.data.login).toEqual({ viewer: null, userErrors: [{ code: 'INVALID_CREDENTIALS' }] });

      const mail = await mailbox.waitFor(person.email);
      expect(mail.path).toBe('/account/verify');
      expectNoLeak(mail.text, [...SUBJECT_NEEDLES, ...leakNeedles(newcomer(60))]);
      const verified = await app.gql(`mutation($input: ConfirmLinkInput!) { verifyEmail(input: $input) { done userErrors { code } } }`, {
        variables: { input: { token: mail.token } },
      });
      expect(verified.body).toEqual({ data: { verifyEmail: { done: true, userErrors: [] } } });

      // Signing in: the login request is anonymous, so its payload withholds the identifiers.
      const signedIn = await login(person.email);
      const memberId = signedIn.body.data.login.viewer.member.id;
      expect(normalise(signedIn)).toEqual(
        expected({ login: { viewer: { role: 'MEMBER', member: { id: memberId, email: null } }, userErrors: [] } }, [
          { path: 'login.viewer.member.email', code: 'FORBIDDEN' },
        ]),
      );
      const token = await sessionOf(person.email);
      const me = await app.gql(`query { viewer { member { id legalName email } } }`, { token });
      expect(normalise(me)).toEqual(expected({ viewer: { member: { id: memberId, legalName: person.legalName, email: person.email } } }));
    });
  });

  describe('requestMemberSignIn and claimMemberSignIn', () => {
    ROLES.forEach((role, n) => {
      it(`${role} asking for a referred member's sign-in → the same answer, the link only in that member's inbox`, async () => {
        const person = newcomer(20 + n);
        await registerAsReferringPartner(person);
        const response = await app.gql(REQUEST_SIGN_IN, { variables: { input: { email: person.email } }, token: tokens[role] });
        expect(normalise(response)).toEqual(expected({ requestMemberSignIn: { accepted: true, userErrors: [] } }));
        expectNoLeak(response.text, [...SUBJECT_NEEDLES, ...leakNeedles(person)]);
        const mail = await mailbox.waitFor(person.email);
        expect(mail.path).toBe('/account/sign-in');
        expect(mailbox.received.filter((m) => m.token === mail.token)).toHaveLength(1);
      });
    });

    it('lets the person follow its link to a sign-in that reads its own identifiers; the claim answers none', async () => {
      const person = newcomer(20);
      const mail = mailbox.to(person.email).at(-1)!;
      const claimed = await app.gql(
        `mutation($input: ClaimMemberSignInInput!) { claimMemberSignIn(input: $input) { done userErrors { code } } }`,
        { variables: { input: { token: mail.token, password: PASSWORD } } },
      );
      expect(claimed.body).toEqual({ data: { claimMemberSignIn: { done: true, userErrors: [] } } });
      const token = await sessionOf(person.email);
      const me = await app.gql(`query { viewer { member { displayName legalName email phone } } }`, { token });
      expect(normalise(me)).toEqual(
        expected({
          viewer: { member: { displayName: person.displayName, legalName: person.legalName, email: person.email, phone: person.phone } },
        }),
      );
    });

    it("asking for the subject's sign-in mails the subject a password link, and answers exactly as for anyone else", async () => {
      const response = await app.gql(REQUEST_SIGN_IN, { variables: { input: { email: SUBJECT_IDENTITY.email } }, token: tokens.admin });
      expect(normalise(response)).toEqual(expected({ requestMemberSignIn: { accepted: true, userErrors: [] } }));
      expect((await mailbox.waitFor(SUBJECT_IDENTITY.email)).path).toBe('/account/reset');
    });
  });
});

describe('identifier matrix: reservation and attendance payloads', () => {
  const RESERVATION = (fields: string) => `reservation { ${fields} member { ${MEMBER_FIELDS} } } userErrors { code field }`;

  /** Per mutation: its document, the input for one role's call, and what the payload's object holds when reached. */
  interface PayloadCase {
    query: string;
    object: 'reservation' | 'attendance';
    /** Arranges what the caller acts on and returns the input. */
    input(): Promise<Record<string, unknown>>;
    reached(outcome: Outcome): Record<string, unknown>;
    notFoundField: string[];
  }

  let groupD: { id: string; globalId: string };
  let sessionA2: string;

  /** Ends the subject's active place in group D, if a previous case left one. */
  const leaveGroupD = () =>
    app.db.query(
      `update reservation set status = 'CANCELLED', ended_at = now(), ended_by = 'ADMIN'
        where group_id = $1 and status in ('HELD', 'CONFIRMED', 'WAITLISTED')`,
      [groupD.id],
    );

  /** Gives the subject a fresh CONFIRMED seat in group D. */
  async function seatInGroupD(): Promise<string> {
    await leaveGroupD();
    const [seat] = await app.db.query<{ id: string }>(
      `insert into reservation (id, group_id, member_id, status) values (gen_random_uuid(), $1, $2, 'CONFIRMED') returning id`,
      [groupD.id, world.members.subject.id],
    );
    return toGlobalId('Reservation', seat!.id);
  }

  beforeAll(async () => {
    groupD = await addGroup(app, world, { title: 'Group D' });
    const [session] = await app.db.query<{ id: string }>('select id from group_session where group_id = $1 and position = 2', [
      world.groups.a.id,
    ]);
    sessionA2 = toGlobalId('Session', session!.id);
  });

  const CASES: Record<'reserveSeat' | 'cancelReservation' | 'removeReservation' | 'recordAttendance', PayloadCase> = {
    reserveSeat: {
      query: `mutation MatrixReserve($input: ReserveSeatInput!) { reserveSeat(input: $input) { ${RESERVATION('group { id }')} } }`,
      object: 'reservation',
      async input() {
        await leaveGroupD();
        return { groupId: groupD.globalId, memberId: world.members.subject.globalId };
      },
      reached: (outcome) => ({ group: { id: groupD.globalId }, member: memberShape('subject', outcome) }),
      notFoundField: ['input', 'memberId'],
    },
    cancelReservation: {
      query: `mutation MatrixCancel($input: CancelReservationInput!) { cancelReservation(input: $input) { ${RESERVATION('status')} } }`,
      object: 'reservation',
      input: async () => ({ reservationId: await seatInGroupD() }),
      reached: (outcome) => ({ status: 'CANCELLED', member: memberShape('subject', outcome) }),
      notFoundField: ['input', 'reservationId'],
    },
    removeReservation: {
      query: `mutation MatrixRemove($input: RemoveReservationInput!) { removeReservation(input: $input) { ${RESERVATION('status')} } }`,
      object: 'reservation',
      input: async () => ({ reservationId: await seatInGroupD(), reason: 'Left the programme' }),
      reached: (outcome) => ({ status: 'REMOVED', member: memberShape('subject', outcome) }),
      notFoundField: ['input', 'reservationId'],
    },
    recordAttendance: {
      query: `mutation MatrixRecord($input: RecordAttendanceInput!) {
        recordAttendance(input: $input) { attendance { status member { ${MEMBER_FIELDS} } } userErrors { code field } }
      }`,
      object: 'attendance',
      input: async () => ({ sessionId: sessionA2, memberId: world.members.subject.globalId, status: 'PRESENT' }),
      reached: (outcome) => ({ status: 'PRESENT', member: memberShape('subject', outcome) }),
      notFoundField: ['input', 'sessionId'],
    },
  };

  for (const path of Object.keys(CASES) as (keyof typeof CASES)[]) {
    describe(path, () => {
      for (const role of ROLES) {
        const outcome = EXPECTED_MUTATIONS[role][path];
        it(`${role} → ${outcome}`, async () => {
          const c = CASES[path];
          const response = await app.gql(c.query, { variables: { input: await c.input() }, token: tokens[role] });
          const want =
            outcome === 'values' || outcome === 'FORBIDDEN'
              ? expected(
                  { [path]: { [c.object]: c.reached(outcome), userErrors: [] } },
                  memberErrors(`${path}.${c.object}.member`, outcome),
                )
              : outcome === 'NOT_FOUND'
                ? expected({ [path]: { [c.object]: null, userErrors: [{ code: 'NOT_FOUND', field: c.notFoundField }] } })
                : refused(path, outcome, null);
          expect(normalise(response)).toEqual(want);
          expectValuesOnlyWhereRead(response.text, outcome);
        });
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The staff action log and the invitation flow. These run after every mutation above, so the log
// holds registrations with identifiers, signatures with typed names, seats and attendance.

const ALL_NEEDLES = () => [...SUBJECT_NEEDLES, ...Array.from({ length: 61 }, (_, n) => leakNeedles(newcomer(n))).flat()];

describe('identifier matrix: staffActions', () => {
  const STAFF_ACTIONS = `query MatrixStaffActions($subject: ID, $after: String) {
    staffActions(first: 100, after: $after, subjectId: $subject) {
      nodes { action subjectType subjectId changes { type id before after } actor { __typename } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  // biome-ignore format: one role per line
  const OUTCOMES: Record<Role, 'rows' | 'UNAUTHENTICATED' | 'DENIED'> = {
    anonymous: 'UNAUTHENTICATED', subject: 'DENIED', another: 'DENIED', lead: 'rows', co: 'rows', otherTherapist: 'rows',
    admin: 'rows', referringPartner: 'DENIED', otherPartner: 'DENIED',
  };

  for (const role of ROLES) {
    it(`${role} → ${OUTCOMES[role]}, never an identifier value (they read "[redacted]")`, async () => {
      for (const subject of [null, world.members.subject.globalId]) {
        const outcome = OUTCOMES[role];
        const actions: string[] = [];
        const texts: string[] = [];
        for (let after: string | null = null, more = true; more; ) {
          const response: GraphQLResponse = await app.gql(STAFF_ACTIONS, { variables: { subject, after }, token: tokens[role] });
          expectNoLeak(response.text, ALL_NEEDLES());
          texts.push(response.text);
          if (outcome !== 'rows') {
            expect(normalise(response)).toEqual(refused('staffActions', outcome, null));
            break;
          }
          expect(response.body.errors).toBeUndefined();
          const page: { nodes: { action: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } =
            response.body.data.staffActions;
          actions.push(...page.nodes.map((n) => n.action));
          after = page.pageInfo.endCursor;
          more = page.pageInfo.hasNextPage;
        }
        if (outcome !== 'rows') continue;
        if (role === 'admin' && subject === null) {
          expect(actions).toEqual(expect.arrayContaining(['registerMember', 'signAgreement', 'reserveSeat', 'recordAttendance']));
          expect(texts.join('')).toContain('[redacted]');
        }
        if (role === 'lead' && subject === null) expect(actions).toEqual(expect.arrayContaining(['recordAttendance', 'removeReservation']));
        if (role === 'otherTherapist') expect(actions).toEqual([]);
      }
    });
  }
});

describe('identifier matrix: the invitation flow', () => {
  const email = 'invited.therapist@kindred.test';
  const READ = READS.member;
  let therapistId: string;

  async function readAs(token: string) {
    const response = await app.gql(READ.query, { variables: READ.variables(), token });
    return response;
  }

  it("an invited therapist assigned to the subject's group reads nothing until a second admin approved it", async () => {
    const invited = await app.gql(
      `mutation($input: CreateTherapistInput!) { createTherapist(input: $input) { therapist { id } userErrors { code } } }`,
      { token: tokens.admin, variables: { input: { email, displayName: 'Dr. Invited', credentials: 'PhD', timeZone: 'Europe/London' } } },
    );
    therapistId = invited.body.data.createTherapist.therapist.id;
    const assigned = await app.gql(`mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { userErrors { code } } }`, {
      token: tokens.admin,
      variables: { input: { id: world.groups.a.globalId, coTherapistIds: [world.therapists.co.globalId, therapistId] } },
    });
    expect(assigned.body.data.updateGroup.userErrors).toEqual([]);
    const mail = await mailbox.waitFor(email);
    expectNoLeak(mail.text, ALL_NEEDLES());
    expect(mail.text).not.toContain('Group A');
    const accepted = await app.gql(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { done userErrors { code } } }`,
      { variables: { input: { token: mail.token, password: PASSWORD } } },
    );
    expect(accepted.body.data.acceptInvitation).toEqual({ done: true, userErrors: [] });
    expect(
      normalise(
        await app.gql(`mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`, {
          variables: { input: { email, password: PASSWORD } },
        }),
      ),
    ).toEqual(expected({ login: { token: null, userErrors: [{ code: 'NOT_APPROVED' }] } }));

    // Even a session made behind the API's back does not work before the approval.
    const [row] = await app.db.query<{ id: string }>('select id from account where email_index = $1', [emailIndex(email)]);
    const forged = 'kss_forged-session-of-an-unapproved-therapist-0000000000';
    await app.db.query(
      `insert into auth_session (id, account_id, token_hash, expires_at, created_at) values (gen_random_uuid(), $1, $2, now() + interval '1 hour', now())`,
      [row!.id, secretHash(forged)],
    );
    const refusedRead = await readAs(forged);
    expect(refusedRead.status).toBe(401);
    expectNoLeak(refusedRead.text);
  });

  it('reads the values once a second admin approved it, and nothing once its assignment ended', async () => {
    const approved = await app.gql(`mutation($input: ApproveTherapistInput!) { approveTherapist(input: $input) { userErrors { code } } }`, {
      token: world.secondAdmin.token,
      variables: { input: { therapistId } },
    });
    expect(approved.body.data.approveTherapist.userErrors).toEqual([]);
    const token = await sessionOf(email);
    const read = await readAs(token);
    expect(normalise(read)).toEqual(READ.expect('values', 'co'));

    const ended = await app.gql(`mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { userErrors { code } } }`, {
      token: tokens.admin,
      variables: { input: { id: world.groups.a.globalId, coTherapistIds: [world.therapists.co.globalId] } },
    });
    expect(ended.body.data.updateGroup.userErrors).toEqual([]);
    const after = await readAs(token);
    expect(normalise(after)).toEqual(READ.expect('NOT_FOUND', 'co'));
    expectNoLeak(after.text);
  });
});

describe('identifier matrix: logs', () => {
  it('never wrote an identifier value to the server log', () => {
    expect(app.logs.length).toBeGreaterThan(0);
    expectNoLeak(app.logs.join('\n'), ALL_NEEDLES());
  });
});
