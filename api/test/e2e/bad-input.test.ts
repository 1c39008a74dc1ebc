/**
 * Malformed and hostile requests: each is refused with its specific code (a top-level error
 * from the closed set, or a user error at an input path), without a stack trace, file path,
 * field suggestion in production, or another member's personal identifier, and without
 * writing anything: every table is fingerprinted before and after each request.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { AccountEntity, AccountRole, AuthSessionEntity, sealedAccountFields } from '../../src/modules/accounts/index.js';
import { hashPassword, newSecret, SESSION_PREFIX, secretHash } from '../../src/authz/credentials.js';
import { createMember } from '../../src/modules/members/index.js';
import { PartnerEntity } from '../../src/modules/partners/index.js';
import { emailIndex } from '@kindred/crypto';
import { newId } from '../../src/db/ids.js';
import { ProgramEntity, ProgramStatus } from '../../src/modules/programs/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld, NO_IDENTIFIERS, SUBJECT_IDENTITY, type World } from '../support/world.js';

const TOP_LEVEL_CODES = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR'];

/** Personal identifiers of the world's members (and of a member only the partner knows): never in any refusal. */
const OTHER_MEMBERS_IDENTIFIERS = [
  SUBJECT_IDENTITY.legalName,
  SUBJECT_IDENTITY.email,
  SUBJECT_IDENTITY.phone,
  SUBJECT_IDENTITY.dateOfBirth,
  SUBJECT_IDENTITY.emergencyContact.name,
  SUBJECT_IDENTITY.emergencyContact.phone,
  SUBJECT_IDENTITY.typedName,
  'Sam Otherperson',
  'sam.otherperson@example.org',
  '+14155550199',
  '1985-01-02',
  'Alex Otherperson',
  '+14155550198',
  'Quinn Accountless',
  'quinn.accountless@example.org',
];

/** The identifiers in `validMember()`: a refusal never repeats them, even to their submitter. */
const SUBMITTED_IDENTIFIERS = ['Jordan Probe-Person', 'jordan.probe@example.org', '+442079460958', '1991-03-04', 'Robin Probe-Person'];

const LOGIN_EMAIL = 'probe.person@example.org';
const LOGIN_PASSWORD = 'correct horse battery staple';

interface Fixtures extends World {
  draftProgram: { globalId: string };
  /** A member of `partners.other` without an account (for requestMemberSignIn). */
  accountless: { globalId: string };
  expiredToken: string;
  revokedToken: string;
  revokedApiKey: string;
  revokedApiKeyGlobalId: string;
}

type TopLevel = {
  code: string;
  reason?: string;
  status?: number;
  /** The root field that resolves to null with the error at its path. */
  path?: string;
  /** What the first error's message must say (so a case fails for its own reason). */
  message?: RegExp;
};
type UserErrorExpectation = { code: string; field: string[] | null };

interface Case {
  name: string;
  /** The production server (no introspection, no suggestions). */
  prod?: boolean;
  /** A GraphQL request... */
  query?: string;
  variables?: (f: Fixtures) => Record<string, unknown>;
  token?: (f: Fixtures) => string | undefined;
  headers?: Record<string, string>;
  /** ...or a raw HTTP request. */
  raw?: { method: 'GET' | 'POST'; search?: string; body?: string; headers?: Record<string, string> };
  top?: TopLevel;
  /** The payload field and its only user error. */
  user?: { payload: string; errors: UserErrorExpectation[] };
  /** Submitted values the response must not repeat. */
  noEcho?: string[];
}

// ---------------------------------------------------------------------------------------------
// Operations and valid inputs: every case below breaks exactly one thing of a valid input
// (the last test checks that the valid inputs are indeed accepted).

const REGISTER = `mutation Register($input: RegisterMemberInput!) {
  registerMember(input: $input) { member { id displayName } token userErrors { code field message } } }`;
const CREATE_GROUP = `mutation CreateGroup($input: CreateGroupInput!) {
  createGroup(input: $input) { group { id title } userErrors { code field message } } }`;
const UPDATE_GROUP = `mutation UpdateGroup($input: UpdateGroupInput!) {
  updateGroup(input: $input) { group { id capacity } userErrors { code field message } } }`;
const CREATE_PROGRAM = `mutation CreateProgram($input: CreateProgramInput!) {
  createProgram(input: $input) { program { id } userErrors { code field message } } }`;
const PUBLISH_PROGRAM = `mutation PublishProgram($input: ProgramStatusInput!) {
  publishProgram(input: $input) { program { id status } userErrors { code field message } } }`;
const UPDATE_PROGRAM = `mutation UpdateProgram($input: UpdateProgramInput!) {
  updateProgram(input: $input) { program { id } userErrors { code field message } } }`;
const OPEN_GROUP = `mutation OpenGroup($input: OpenGroupInput!) {
  openGroup(input: $input) { group { id status } userErrors { code field message } } }`;
const CANCEL_GROUP = `mutation CancelGroup($input: CancelGroupInput!) {
  cancelGroup(input: $input) { group { id status } userErrors { code field message } } }`;
const CREATE_THERAPIST = `mutation CreateTherapist($input: CreateTherapistInput!) {
  createTherapist(input: $input) { therapist { id } userErrors { code field message } } }`;
const CREATE_API_KEY = `mutation CreateKey($input: CreatePartnerApiKeyInput!) {
  createPartnerApiKey(input: $input) { apiKey { id } secret userErrors { code field message } } }`;
const REVOKE_API_KEY = `mutation RevokeKey($input: RevokePartnerApiKeyInput!) {
  revokePartnerApiKey(input: $input) { apiKey { id revokedAt } userErrors { code field message } } }`;
const SIGN = `mutation Sign($input: SignAgreementInput!) {
  signAgreement(input: $input) { signature { id } userErrors { code field message } } }`;
const CLAIM_SIGN_IN = `mutation Claim($input: ClaimMemberSignInInput!) { claimMemberSignIn(input: $input) { done userErrors { code field message } } }`;
const ACCEPT_INVITATION = `mutation Accept($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { done userErrors { code field message } } }`;
const REQUEST_SIGN_IN = `mutation Ask($input: RequestMemberSignInInput!) { requestMemberSignIn(input: $input) { accepted userErrors { code field message } } }`;
const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { token expiresAt viewer { role } userErrors { code field message } } }`;
const VIEWER = '{ viewer { role } }';

const validMember = () => ({
  displayName: 'Jordan',
  pronouns: 'they/them',
  timeZone: 'Europe/London',
  legalName: 'Jordan Probe-Person',
  email: 'jordan.probe@example.org',
  phone: '+442079460958',
  dateOfBirth: '1991-03-04',
  emergencyContact: { name: 'Robin Probe-Person', phone: '+442079460959', relationship: 'friend' },
});

const inTwoWeeks = () => DateTime.utc().plus({ days: 14 }).toISODate()!;

const validGroup = (f: Fixtures) => ({
  programId: f.program.globalId,
  title: 'Evening circle',
  leadTherapistId: f.therapists.lead.globalId,
  coTherapistIds: [f.therapists.co.globalId],
  capacity: 8,
  type: 'CLOSED',
  format: 'ONLINE',
  schedule: { timeZone: 'Europe/Berlin', startsOn: inTwoWeeks(), weekday: 'TUESDAY', startTime: '18:30' },
});

const validProgram = () => ({
  title: 'Coping with change',
  summary: 'Six weeks of support.',
  sessionCount: 2,
  sessionLengthMinutes: 60,
  focusAreas: ['change'],
  modules: [{ title: 'Arriving' }, { title: 'Leaving' }],
});

const validTherapist = () => ({
  email: 'new.therapist@kindred.test',
  displayName: 'Dr. Probe',
  credentials: 'PhD',
  timeZone: 'Europe/Paris',
});

const long = (n: number) => 'x'.repeat(n);
const unknown = (type: Parameters<typeof toGlobalId>[0]) => toGlobalId(type, '00000000-0000-4000-8000-000000000000');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

const asAdmin = (f: Fixtures) => f.admin.token;
const asPartner = (f: Fixtures) => f.partners.referring.token;
const asMember = (f: Fixtures) => f.members.subject.token;

const user = (payload: string, code: string, field: string[] | null) => ({ payload, errors: [{ code, field }] });
const badInput = (reason?: string, status?: number, path?: string): TopLevel => ({ code: 'BAD_USER_INPUT', reason, status, path });

const deepQuery = `{ viewer { member { reservations { group { program { requiredAgreement {
  versions { agreement { currentVersion { agreement { id } } } } } } } } } } }`;

// ---------------------------------------------------------------------------------------------

const cases: Case[] = [
  // Members: identifiers are validated and never echoed back.
  {
    name: 'registerMember with an invalid email',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), email: 'jordan.probe(at)example.org' } }),
    user: user('registerMember', 'INVALID_EMAIL', ['input', 'email']),
    noEcho: ['jordan.probe(at)example.org'],
  },
  {
    name: 'registerMember with an invalid phone',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), phone: '+44 20 7946 09' } }),
    user: user('registerMember', 'INVALID_PHONE', ['input', 'phone']),
    noEcho: ['7946 09'],
  },
  {
    name: "registerMember with an invalid emergency contact's phone",
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), emergencyContact: { name: 'Robin', phone: 'call my sister' } } }),
    user: user('registerMember', 'INVALID_PHONE', ['input', 'emergencyContact', 'phone']),
    noEcho: ['call my sister'],
  },
  {
    name: 'registerMember with a date of birth not in YYYY-MM-DD',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), dateOfBirth: '04/03/1991' } }),
    user: user('registerMember', 'INVALID_DATE', ['input', 'dateOfBirth']),
    noEcho: ['04/03/1991'],
  },
  {
    name: 'registerMember with a date of birth that is no calendar date',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), dateOfBirth: '1991-02-30' } }),
    user: user('registerMember', 'INVALID_DATE', ['input', 'dateOfBirth']),
    noEcho: ['1991-02-30'],
  },
  {
    name: 'registerMember with a date of birth in the future',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), dateOfBirth: DateTime.utc().plus({ days: 2 }).toISODate() } }),
    user: user('registerMember', 'INVALID_DATE_OF_BIRTH', ['input', 'dateOfBirth']),
  },
  {
    name: 'registerMember with a date of birth before 1900',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), dateOfBirth: '1899-12-31' } }),
    user: user('registerMember', 'INVALID_DATE_OF_BIRTH', ['input', 'dateOfBirth']),
    noEcho: ['1899-12-31'],
  },
  {
    name: 'registerMember with an unknown time zone',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), timeZone: 'Mars/Olympus_Mons' } }),
    user: user('registerMember', 'INVALID_TIME_ZONE', ['input', 'timeZone']),
  },
  {
    name: 'registerMember with a phone over 40 characters (one error, not two)',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), phone: `+44 ${'2'.repeat(40)}` } }),
    user: user('registerMember', 'TOO_LONG', ['input', 'phone']),
  },
  {
    name: 'registerMember with a time zone over 64 characters (one error, not two)',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), timeZone: `Europe/${long(60)}` } }),
    user: user('registerMember', 'TOO_LONG', ['input', 'timeZone']),
  },
  {
    name: 'registerMember with a NUL character in the display name',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), displayName: 'Jor\u0000dan' } }),
    top: badInput('INVALID_CHARACTER', 400),
  },
  {
    name: 'registerMember with a display name over 60 characters',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), displayName: long(61) } }),
    user: user('registerMember', 'TOO_LONG', ['input', 'displayName']),
  },
  {
    name: 'registerMember with a blank legal name',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), legalName: '   ' } }),
    user: user('registerMember', 'REQUIRED', ['input', 'legalName']),
  },
  {
    name: 'self-registration with a short password',
    query: REGISTER,
    variables: () => ({ input: { ...validMember(), password: 'short' } }),
    user: user('registerMember', 'WEAK_PASSWORD', ['input', 'password']),
    noEcho: ['short'],
  },
  {
    name: 'self-registration without a password',
    query: REGISTER,
    variables: () => ({ input: validMember() }),
    user: user('registerMember', 'REQUIRED', ['input', 'password']),
  },
  {
    name: 'registerMember by a partner with a password (only a person registering themself chooses one)',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), email: LOGIN_EMAIL, password: 'a long enough password' } }),
    user: user('registerMember', 'INVALID_STATE', ['input', 'password']),
  },
  {
    name: 'a member registering someone',
    query: REGISTER,
    token: asMember,
    variables: () => ({ input: validMember() }),
    top: { code: 'FORBIDDEN', path: 'registerMember' },
  },

  // Groups.
  {
    name: 'createGroup with a negative capacity',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), capacity: -3 } }),
    user: user('createGroup', 'OUT_OF_RANGE', ['input', 'capacity']),
  },
  {
    name: 'createGroup with zero capacity',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), capacity: 0 } }),
    user: user('createGroup', 'OUT_OF_RANGE', ['input', 'capacity']),
  },
  {
    name: 'createGroup with a capacity over 500',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), capacity: 501 } }),
    user: user('createGroup', 'OUT_OF_RANGE', ['input', 'capacity']),
  },
  {
    name: 'createGroup with a title over 200 characters',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), title: long(201) } }),
    user: user('createGroup', 'TOO_LONG', ['input', 'title']),
  },
  {
    name: 'createGroup with an unknown time zone',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), schedule: { ...validGroup(f).schedule, timeZone: 'Europe/Atlantis' } } }),
    user: user('createGroup', 'INVALID_TIME_ZONE', ['input', 'schedule', 'timeZone']),
  },
  {
    name: 'createGroup starting at 25:00',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), schedule: { ...validGroup(f).schedule, startTime: '25:00' } } }),
    user: user('createGroup', 'INVALID_TIME', ['input', 'schedule', 'startTime']),
  },
  {
    name: 'createGroup starting on an impossible date',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), schedule: { ...validGroup(f).schedule, startsOn: '2031-13-45' } } }),
    user: user('createGroup', 'INVALID_DATE', ['input', 'schedule', 'startsOn']),
  },
  {
    name: 'createGroup starting in the past',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), schedule: { ...validGroup(f).schedule, startsOn: '2020-01-06' } } }),
    user: user('createGroup', 'INVALID_DATE', ['input', 'schedule', 'startsOn']),
  },
  {
    name: 'createGroup with a session length outside 15..480',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), schedule: { ...validGroup(f).schedule, durationMinutes: 5 } } }),
    user: user('createGroup', 'OUT_OF_RANGE', ['input', 'schedule', 'durationMinutes']),
  },
  {
    name: 'createGroup in person without a location',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), format: 'IN_PERSON', location: '  ' } }),
    user: user('createGroup', 'REQUIRED', ['input', 'location']),
  },
  {
    name: 'createGroup online with a location',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), location: '1 High Street' } }),
    user: user('createGroup', 'INVALID_STATE', ['input', 'location']),
  },
  {
    name: 'createGroup for a well-formed but unknown program',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), programId: unknown('Program') } }),
    user: user('createGroup', 'NOT_FOUND', ['input', 'programId']),
  },
  {
    name: 'createGroup with a Group ID where a Program ID is expected',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), programId: f.groups.a.globalId } }),
    user: user('createGroup', 'INVALID_ID', ['input', 'programId']),
  },
  {
    name: 'createGroup with a garbage program ID',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), programId: "'; drop table program; --" } }),
    user: user('createGroup', 'INVALID_ID', ['input', 'programId']),
  },
  {
    name: 'createGroup for a DRAFT program',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), programId: f.draftProgram.globalId } }),
    user: user('createGroup', 'PROGRAM_NOT_PUBLISHED', ['input', 'programId']),
  },
  {
    name: 'createGroup led by an unknown therapist',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), leadTherapistId: unknown('Therapist') } }),
    user: user('createGroup', 'NOT_FOUND', ['input', 'leadTherapistId']),
  },
  {
    name: 'createGroup with the lead also a co-therapist',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), coTherapistIds: [f.therapists.lead.globalId] } }),
    user: user('createGroup', 'DUPLICATE', ['input', 'coTherapistIds']),
  },
  {
    name: 'a member calling createGroup',
    query: CREATE_GROUP,
    token: asMember,
    variables: (f) => ({ input: validGroup(f) }),
    top: { code: 'FORBIDDEN', path: 'createGroup' },
  },
  {
    name: 'a partner calling createGroup',
    query: CREATE_GROUP,
    token: asPartner,
    variables: (f) => ({ input: validGroup(f) }),
    top: { code: 'FORBIDDEN', path: 'createGroup' },
  },
  {
    name: 'a therapist calling createProgram',
    query: CREATE_PROGRAM,
    token: (f) => f.therapists.lead.token,
    variables: () => ({ input: validProgram() }),
    top: { code: 'FORBIDDEN', path: 'createProgram' },
  },
  {
    name: 'an anonymous caller calling createGroup',
    query: CREATE_GROUP,
    variables: (f) => ({ input: validGroup(f) }),
    top: { code: 'UNAUTHENTICATED', path: 'createGroup' },
  },
  {
    name: 'updateGroup to zero capacity',
    query: UPDATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.groups.a.globalId, capacity: 0, title: 'Renamed' } }),
    user: user('updateGroup', 'OUT_OF_RANGE', ['input', 'capacity']),
  },
  {
    name: 'updateGroup with a Program ID',
    query: UPDATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.program.globalId, capacity: 12 } }),
    user: user('updateGroup', 'INVALID_ID', ['input', 'id']),
  },
  {
    name: 'updateGroup of a well-formed but unknown group',
    query: UPDATE_GROUP,
    token: asAdmin,
    variables: () => ({ input: { id: unknown('Group'), capacity: 12 } }),
    user: user('updateGroup', 'NOT_FOUND', ['input', 'id']),
  },
  {
    name: 'updateGroup of an open group with a new schedule (only drafts) and a new title',
    query: UPDATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.groups.a.globalId, title: 'Renamed', schedule: validGroup(f).schedule } }),
    user: user('updateGroup', 'INVALID_STATE', ['input', 'schedule']),
  },

  {
    name: 'openGroup of a group already open',
    query: OPEN_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.groups.a.globalId } }),
    user: user('openGroup', 'INVALID_STATE', ['input', 'id']),
  },
  {
    name: 'cancelGroup without a reason (reservations stay as they are)',
    query: CANCEL_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.groups.a.globalId, reason: ' ' } }),
    user: user('cancelGroup', 'REQUIRED', ['input', 'reason']),
  },

  // Programs.
  // Programs.
  {
    name: 'createProgram with more modules than sessions',
    query: CREATE_PROGRAM,
    token: asAdmin,
    variables: () => ({ input: { ...validProgram(), modules: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] } }),
    user: user('createProgram', 'OUT_OF_RANGE', ['input', 'modules']),
  },
  {
    name: 'createProgram with zero sessions',
    query: CREATE_PROGRAM,
    token: asAdmin,
    variables: () => ({ input: { ...validProgram(), sessionCount: 0, modules: [] } }),
    user: user('createProgram', 'OUT_OF_RANGE', ['input', 'sessionCount']),
  },
  {
    name: 'createProgram with a title over 200 characters',
    query: CREATE_PROGRAM,
    token: asAdmin,
    variables: () => ({ input: { ...validProgram(), title: long(201) } }),
    user: user('createProgram', 'TOO_LONG', ['input', 'title']),
  },
  {
    name: 'createProgram with a module title over 200 characters',
    query: CREATE_PROGRAM,
    token: asAdmin,
    variables: () => ({ input: { ...validProgram(), modules: [{ title: 'A' }, { title: long(201) }] } }),
    user: user('createProgram', 'TOO_LONG', ['input', 'modules', '1', 'title']),
  },
  {
    name: 'createProgram requiring a well-formed but unknown agreement',
    query: CREATE_PROGRAM,
    token: asAdmin,
    variables: () => ({ input: { ...validProgram(), requiredAgreementId: unknown('Agreement') } }),
    user: user('createProgram', 'NOT_FOUND', ['input', 'requiredAgreementId']),
  },
  {
    name: 'updateProgram to fewer sessions than modules, with a new title (nothing half-written)',
    query: UPDATE_PROGRAM,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.program.globalId, title: 'Renamed', sessionCount: 2 } }),
    user: user('updateProgram', 'OUT_OF_RANGE', ['input', 'modules']),
  },
  {
    name: 'publishProgram of a draft without modules',
    query: PUBLISH_PROGRAM,
    token: asAdmin,
    variables: (f) => ({ input: { id: f.draftProgram.globalId } }),
    user: user('publishProgram', 'INVALID_STATE', ['input', 'id']),
  },

  // Therapists and partners.
  {
    name: 'createTherapist with an invalid email',
    query: CREATE_THERAPIST,
    token: asAdmin,
    variables: () => ({ input: { ...validTherapist(), email: 'therapist@' } }),
    user: user('createTherapist', 'INVALID_EMAIL', ['input', 'email']),
  },
  {
    name: 'createPartnerApiKey with a Program ID',
    query: CREATE_API_KEY,
    token: asAdmin,
    variables: (f) => ({ input: { partnerId: f.program.globalId, label: 'prod' } }),
    user: user('createPartnerApiKey', 'INVALID_ID', ['input', 'partnerId']),
  },
  {
    name: 'createPartnerApiKey for a well-formed but unknown partner',
    query: CREATE_API_KEY,
    token: asAdmin,
    variables: () => ({ input: { partnerId: unknown('Partner'), label: 'prod' } }),
    user: user('createPartnerApiKey', 'NOT_FOUND', ['input', 'partnerId']),
  },
  {
    name: 'revokePartnerApiKey of a key already revoked',
    query: REVOKE_API_KEY,
    token: asAdmin,
    variables: (f) => ({ input: { apiKeyId: f.revokedApiKeyGlobalId } }),
    user: user('revokePartnerApiKey', 'INVALID_STATE', ['input', 'apiKeyId']),
  },

  // Another partner's member is exactly as unknown as a member that does not exist.
  {
    name: "signAgreement for another partner's member",
    query: SIGN,
    token: asPartner,
    variables: (f) => ({ input: { agreementId: f.agreement.globalId, memberId: f.members.another.globalId, typedName: 'Sam' } }),
    user: user('signAgreement', 'NOT_FOUND', ['input', 'memberId']),
  },
  {
    name: 'signAgreement for a well-formed but unknown member',
    query: SIGN,
    token: asPartner,
    variables: (f) => ({ input: { agreementId: f.agreement.globalId, memberId: unknown('Member'), typedName: 'Sam' } }),
    user: user('signAgreement', 'NOT_FOUND', ['input', 'memberId']),
  },
  {
    name: 'signAgreement with a Group ID as the agreement',
    query: SIGN,
    token: asMember,
    variables: (f) => ({ input: { agreementId: f.groups.a.globalId, typedName: 'Rowan' } }),
    user: user('signAgreement', 'INVALID_ID', ['input', 'agreementId']),
  },
  {
    name: 'claimMemberSignIn with a link that was never sent',
    query: CLAIM_SIGN_IN,
    variables: () => ({ input: { token: 'kat_never_sent_by_kindred_0000000000', password: 'a long enough password' } }),
    user: user('claimMemberSignIn', 'INVALID_TOKEN', ['input', 'token']),
  },
  {
    name: 'acceptInvitation with a weak password',
    query: ACCEPT_INVITATION,
    variables: () => ({ input: { token: 'kat_never_sent_by_kindred_0000000000', password: 'short' } }),
    user: user('acceptInvitation', 'WEAK_PASSWORD', ['input', 'password']),
  },

  // Queries: IDs, pages and cursors.
  {
    name: 'group(id:) with a Program ID',
    query: 'query($id: ID!) { group(id: $id) { id } }',
    variables: (f) => ({ id: f.program.globalId }),
    top: badInput('WRONG_ID_TYPE', 200, 'group'),
  },
  {
    name: 'group(id:) with a garbage ID',
    query: 'query($id: ID!) { group(id: $id) { id } }',
    variables: () => ({ id: '../../etc/passwd' }),
    top: badInput('INVALID_ID', 200, 'group'),
  },
  {
    name: 'group(id:) with a well-formed but unknown ID',
    query: 'query($id: ID!) { group(id: $id) { id } }',
    variables: () => ({ id: unknown('Group') }),
    top: { code: 'NOT_FOUND', status: 200, path: 'group' },
  },
  {
    name: "member(id:) of another partner's member",
    query: 'query($id: ID!) { member(id: $id) { id displayName email } }',
    token: asPartner,
    variables: (f) => ({ id: f.members.another.globalId }),
    top: { code: 'NOT_FOUND', status: 200, path: 'member' },
  },
  {
    name: 'node(id:) with a base64 ID of an unknown type',
    query: 'query($id: ID!) { node(id: $id) { id } }',
    variables: () => ({ id: Buffer.from('Account:00000000-0000-4000-8000-000000000000').toString('base64url') }),
    top: { code: 'NOT_FOUND', status: 200, path: 'node' },
  },
  {
    name: 'members(groupId:) with a Program ID',
    query: 'query($g: ID) { members(groupId: $g) { totalCount } }',
    token: asAdmin,
    variables: (f) => ({ g: f.program.globalId }),
    top: badInput('WRONG_ID_TYPE', 200, 'members'),
  },
  {
    name: 'members as an anonymous caller',
    query: '{ members { totalCount } }',
    top: { code: 'UNAUTHENTICATED', path: 'members' },
  },
  {
    name: 'members(displayNameContains:) with a NUL character',
    query: 'query($q: String) { members(displayNameContains: $q) { totalCount } }',
    token: asAdmin,
    variables: () => ({ q: 'a\u0000' }),
    top: badInput('INVALID_CHARACTER', 400),
  },
  {
    name: 'a NUL character in a string literal of the document',
    query: '{ programs(focusArea: "grief\\u0000") { totalCount } }',
    top: badInput('INVALID_CHARACTER', 400),
  },
  {
    name: 'variables nested 20 000 levels deep',
    raw: {
      method: 'POST',
      body: `{"query": "query($first: Int!) { programs(first: $first) { totalCount } }", "variables": {"first": ${'['.repeat(20_000)}1${']'.repeat(20_000)}}}`,
    },
    top: badInput(undefined, 400),
  },
  {
    name: 'nodes(ids:) with more than 100 IDs',
    query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    variables: () => ({ ids: Array.from({ length: 101 }, () => unknown('Group')) }),
    top: badInput('TOO_MANY_IDS', 200, 'nodes'),
  },
  { name: 'programs(first: 0)', query: '{ programs(first: 0) { totalCount } }', top: badInput('INVALID_PAGE_SIZE', 200, 'programs') },
  { name: 'programs(first: 101)', query: '{ programs(first: 101) { totalCount } }', top: badInput('INVALID_PAGE_SIZE', 200, 'programs') },
  { name: 'groups(first: -1)', query: '{ groups(first: -1) { totalCount } }', top: badInput('INVALID_PAGE_SIZE', 200, 'groups') },
  {
    name: 'programs(after:) with a garbage cursor',
    query: '{ programs(after: "not-a-cursor!") { totalCount } }',
    top: badInput('INVALID_CURSOR', 200, 'programs'),
  },
  {
    name: 'programs(after:) with a cursor carrying an operator object',
    query: 'query($c: String) { programs(after: $c) { totalCount } }',
    variables: () => ({ c: b64([{ $ne: null }, { $gt: '' }]) }),
    top: badInput('INVALID_CURSOR', 200, 'programs'),
  },
  {
    name: 'programs(after:) with a forged cursor whose id is no UUID',
    query: 'query($c: String) { programs(after: $c) { totalCount } }',
    variables: () => ({ c: b64(['Test Program', "x' or 1=1 --"]) }),
    top: badInput('INVALID_CURSOR', 200, 'programs'),
  },
  {
    name: 'groups(after:) with a forged cursor whose date is no date',
    query: 'query($c: String) { groups(after: $c) { totalCount } }',
    variables: () => ({ c: b64(['2026-02-30', '00000000-0000-4000-8000-000000000000']) }),
    top: badInput('INVALID_CURSOR', 200, 'groups'),
  },
  {
    name: 'previewGroupSessions of a schedule starting at 25:00',
    query: `query($s: GroupScheduleInput!) { previewGroupSessions(schedule: $s) { startsAt } }`,
    variables: () => ({ s: { timeZone: 'Europe/Berlin', startsOn: inTwoWeeks(), weekday: 'MONDAY', startTime: '25:00' } }),
    top: badInput('INVALID_TIME', 200, 'previewGroupSessions'),
  },

  // Signing in.
  {
    name: 'login with a wrong password',
    query: LOGIN,
    variables: () => ({ input: { email: LOGIN_EMAIL, password: 'not the password at all' } }),
    user: user('login', 'INVALID_CREDENTIALS', null),
    noEcho: ['not the password at all'],
  },
  {
    name: 'login with an unknown email (the same refusal as a wrong password)',
    query: LOGIN,
    variables: () => ({ input: { email: 'nobody.here@example.org', password: LOGIN_PASSWORD } }),
    user: user('login', 'INVALID_CREDENTIALS', null),
    noEcho: ['nobody.here@example.org', LOGIN_PASSWORD],
  },
  {
    name: 'login with a NUL character in the email',
    query: LOGIN,
    variables: () => ({ input: { email: 'probe\u0000@example.org', password: LOGIN_PASSWORD } }),
    top: badInput('INVALID_CHARACTER', 400),
  },
  {
    name: 'logout without a session',
    query: 'mutation { logout { loggedOut } }',
    top: { code: 'UNAUTHENTICATED', path: 'logout' },
  },
  {
    name: 'an expired session token',
    query: VIEWER,
    token: (f) => f.expiredToken,
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },
  {
    name: 'a session token used after logout',
    query: VIEWER,
    token: (f) => f.revokedToken,
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },
  {
    name: 'a forged session token',
    query: VIEWER,
    token: () => newSecret(SESSION_PREFIX),
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },
  {
    name: 'a revoked partner API key',
    query: VIEWER,
    token: (f) => f.revokedApiKey,
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },
  {
    name: 'an Authorization header that is not Bearer',
    query: VIEWER,
    headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },
  {
    name: 'a Bearer token with spaces and quotes',
    query: VIEWER,
    headers: { authorization: `Bearer kss_abc' or '1'='1` },
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },
  {
    name: 'a token of no known kind',
    query: VIEWER,
    headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiQURNSU4ifQ' },
    top: { code: 'UNAUTHENTICATED', status: 401 },
  },

  // Query limits and the GraphQL protocol.
  { name: 'a query deeper than 10', query: deepQuery, top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /depth limit/i } },
  {
    name: 'a query with 16 aliases',
    query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`,
    top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /aliases limit/i },
  },
  {
    name: 'a query of more than 3000 tokens',
    query: `{ viewer { ${Array.from({ length: 3100 }, () => 'role').join(' ')} } }`,
    top: { ...badInput('GRAPHQL_PARSE_FAILED', 400), message: /3000 tokens/ },
  },
  {
    name: 'fragments that spread each other in a cycle',
    query: 'query { viewer { ...A } } fragment A on Viewer { role ...B } fragment B on Viewer { role ...A }',
    top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /within itself/ },
  },
  {
    name: 'more than 10 directives',
    query: `{ viewer { role ${Array.from({ length: 11 }, () => '@include(if: true)').join(' ')} } }`,
    top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /directives limit/i },
  },
  {
    name: 'a query whose computed cost is too high',
    query: `{ ${Array.from({ length: 15 }, (_, i) => `p${i}: programs(first: 100) { nodes { modules { id title guidance homeworkPrompt position } authors { id displayName bio credentials timeZone createdAt } requiredAgreement { id versions { id version bodyMarkdown publishedAt } } } }`).join(' ')} }`,
    top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /cost limit/i },
  },
  { name: 'a syntax error', query: '{ viewer { role }', top: badInput('GRAPHQL_PARSE_FAILED', 400) },
  { name: 'an unknown field', query: '{ viewer { role password } }', top: badInput('GRAPHQL_VALIDATION_FAILED', 400) },
  {
    name: 'a variable of the wrong type',
    query: 'query($first: Int!) { programs(first: $first) { totalCount } }',
    variables: () => ({ first: 'twelve-ish' }),
    top: { ...badInput(undefined, 400), message: /^Variable "\$first" got an invalid value: Int cannot represent non-integer value\.$/ },
    noEcho: ['twelve-ish'],
  },
  {
    name: 'a phone number sent as a number in variables (not echoed)',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), phone: 14155550123 } }),
    top: { ...badInput(undefined, 400), message: /at "input\.phone": String cannot represent a non string value\.$/ },
    noEcho: [...SUBMITTED_IDENTIFIERS, '14155550123'],
  },
  {
    name: 'an identifier sent as an enum value in variables (not echoed)',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), schedule: { ...validGroup(f).schedule, weekday: 'Jordan Probe-Person' } } }),
    top: { ...badInput(undefined, 400), message: /at "input\.schedule\.weekday": The value does not exist in "Weekday" enum\.$/ },
    noEcho: ['Jordan Probe-Person'],
  },
  {
    name: 'an identifier sent as a date-time in variables (not echoed)',
    query: CREATE_GROUP,
    token: asAdmin,
    variables: (f) => ({ input: { ...validGroup(f), enrolmentDeadline: 'jordan.probe@example.org' } }),
    top: { ...badInput(undefined, 400), message: /at "input\.enrolmentDeadline": DateTime cannot represent this value\.$/ },
    noEcho: ['jordan.probe@example.org'],
  },
  {
    name: 'a phone number inlined as an Int literal (not echoed)',
    query: `mutation { registerMember(input: { displayName: "J", timeZone: "Europe/London", legalName: "Jordan Probe-Person",
      email: "jordan.probe@example.org", phone: 14155550123 }) { token } }`,
    token: asPartner,
    top: {
      ...badInput('GRAPHQL_VALIDATION_FAILED', 400),
      message: /^String cannot represent a non string value\.$/,
    },
    noEcho: [...SUBMITTED_IDENTIFIERS, '14155550123'],
  },
  {
    name: 'an identifier inlined where an enum value belongs (not echoed)',
    query: '{ groups(filter: { format: "jordan.probe@example.org" }) { totalCount } }',
    top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /^Enum "GroupFormat" cannot represent non-enum value\.$/ },
    noEcho: ['jordan.probe@example.org'],
  },
  {
    name: 'null inlined for a required argument',
    query: '{ group(id: null) { id } }',
    top: { ...badInput('GRAPHQL_VALIDATION_FAILED', 400), message: /^Expected value of type "ID!", found a value that does not fit it\.$/ },
  },
  {
    name: 'a syntax error next to an identifier (not echoed)',
    query: 'mutation { registerMember(input: { legalName "Jordan Probe-Person" }) { token } }',
    token: asPartner,
    top: { ...badInput('GRAPHQL_PARSE_FAILED', 400), message: /^Syntax Error: Expected ":", found String\.$/ },
    noEcho: ['Jordan Probe-Person'],
  },
  {
    name: 'a mutation input missing a required field (the input is not echoed)',
    query: REGISTER,
    token: asPartner,
    variables: () => ({ input: { ...validMember(), legalName: undefined } }),
    top: { ...badInput(undefined, 400), message: /"legalName" of required type "String!" was not provided/ },
    noEcho: SUBMITTED_IDENTIFIERS,
  },
  {
    name: 'an operationName that is not in the document',
    raw: { method: 'POST', body: JSON.stringify({ query: 'query A { viewer { role } }', operationName: 'B' }) },
    top: badInput('OPERATION_RESOLUTION_FAILURE', 400),
  },
  {
    name: '`variables` sent as a string',
    raw: { method: 'POST', body: JSON.stringify({ query: VIEWER, variables: '{}' }) },
    top: badInput('BAD_REQUEST', 400),
  },
  { name: '`query` sent as a number', raw: { method: 'POST', body: '{"query": 42}' }, top: badInput('BAD_REQUEST', 400) },
  {
    name: 'an unknown persisted query hash',
    raw: {
      method: 'POST',
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    },
    top: badInput('PERSISTED_QUERY_NOT_FOUND'),
  },
  { name: 'an empty body', raw: { method: 'POST', body: '' }, top: badInput('EMPTY_BODY', 400) },
  {
    name: 'a body that is not JSON',
    raw: { method: 'POST', body: `{"query": "{ viewer { role } }", "variables": {"email": "${SUBJECT_IDENTITY.email}"` },
    top: badInput('INVALID_JSON', 400),
  },
  { name: 'a JSON body without a query', raw: { method: 'POST', body: '{}' }, top: badInput('BAD_REQUEST', 400) },
  {
    name: 'a batch of operations',
    raw: { method: 'POST', body: JSON.stringify([{ query: VIEWER }, { query: VIEWER }]) },
    top: badInput('BAD_REQUEST', 400),
  },
  {
    name: 'a 2 MB request body',
    raw: { method: 'POST', body: JSON.stringify({ query: VIEWER, variables: { pad: long(2 * 1024 * 1024) } }) },
    top: badInput('PAYLOAD_TOO_LARGE', 413),
  },
  {
    name: 'a text/plain POST (CSRF)',
    raw: { method: 'POST', body: JSON.stringify({ query: VIEWER }), headers: { 'content-type': 'text/plain' } },
    top: badInput('BAD_REQUEST', 400),
  },
  {
    name: 'a mutation sent by GET (CSRF)',
    raw: { method: 'GET', search: `?query=${encodeURIComponent('mutation { logout { loggedOut } }')}` },
    top: badInput('BAD_REQUEST', 400),
  },
  {
    name: 'a mutation sent by GET with a preflight header',
    raw: {
      method: 'GET',
      search: `?query=${encodeURIComponent(`mutation { createPartner(input: { name: "Evil" }) { partner { id } } }`)}`,
      headers: { 'apollo-require-preflight': 'true' },
    },
    top: badInput('BAD_REQUEST', 405),
  },

  // Production: no schema details.
  {
    name: 'production: an unknown field gets no suggestion',
    prod: true,
    query: '{ viewer { rol } }',
    top: badInput('GRAPHQL_VALIDATION_FAILED', 400),
  },
  {
    name: 'production: a misspelled enum value gets no suggestion',
    prod: true,
    query: '{ groups(filter: { format: ONLNE }) { totalCount } }',
    top: badInput('GRAPHQL_VALIDATION_FAILED', 400),
  },
  {
    name: 'production: a misspelled input field in variables gets no suggestion',
    prod: true,
    query: REGISTER,
    variables: () => ({ input: { ...validMember(), emial: 'x@example.org' } }),
    top: badInput(undefined, 400),
    noEcho: [...SUBMITTED_IDENTIFIERS, 'x@example.org'],
  },
  {
    name: 'production: introspection is disabled',
    prod: true,
    query: '{ __schema { queryType { name } } }',
    top: badInput('GRAPHQL_VALIDATION_FAILED', 400),
  },
  {
    name: 'production: __type introspection is disabled',
    prod: true,
    query: '{ __type(name: "Member") { fields { name } } }',
    top: badInput('GRAPHQL_VALIDATION_FAILED', 400),
  },
];

// ---------------------------------------------------------------------------------------------

let app: TestApp;
let prod: TestApp;
let fixtures: Fixtures;

/**
 * Every table's row count and content hash (API key and session usage times excluded: any request
 * may touch them; the staff action log excluded: it records every attempt, refused ones too, by design —
 * checked apart below).
 */
async function fingerprint(target: TestApp): Promise<Record<string, string>> {
  const tables = await target.db.query<{ tablename: string }>(
    `select tablename from pg_tables where schemaname = 'public' and tablename not like 'mikro_orm%' and tablename <> 'staff_action'
      order by tablename`,
  );
  const parts = tables.map(({ tablename: t }) => {
    const row =
      t === 'partner_api_key'
        ? `(x.id, x.partner_id, x.label, x.prefix, x.secret_hash, x.revoked_at)`
        : t === 'auth_session'
          ? `(x.id, x.account_id, x.token_hash, x.created_at, x.expires_at, x.revoked_at, x.client, x.second_factor)`
          : 'x';
    return `select '${t}' as t, count(*)::text || ':' || md5(coalesce(string_agg(${row}::text, '|' order by ${row}::text), '')) as f from "${t}" x`;
  });
  const rows = await target.db.query<{ t: string; f: string }>(parts.join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.t, r.f]));
}

async function send(target: TestApp, c: Case): Promise<{ status: number; text: string; body: any }> {
  if (c.raw) {
    const response = await fetch(`${target.url}/graphql${c.raw.search ?? ''}`, {
      method: c.raw.method,
      headers: c.raw.method === 'POST' ? { 'content-type': 'application/json', ...c.raw.headers } : { ...c.raw.headers },
      body: c.raw.method === 'POST' ? c.raw.body : undefined,
    });
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, text, body };
  }
  const response = await target.gql(c.query!, { variables: c.variables?.(fixtures), token: c.token?.(fixtures), headers: c.headers });
  return { status: response.status, text: response.text, body: response.body };
}

/** No stack trace, no source or file path, no internal detail. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/"exception"/);
  expect(text).not.toMatch(/\bat (?:async )?[\w$.<>[\] ]+ \(/);
  expect(text).not.toMatch(/(?:^|\\n)\s*at \S/);
  expect(text).not.toMatch(/\(?[\w./\\-]+\.(?:ts|js|mjs|cjs):\d+/);
  expect(text).not.toMatch(/\/(?:work|home|usr|tmp|app|src)\/|node_modules|file:\/\//);
  expect(text).not.toMatch(/FST_ERR|SQLSTATE|duplicate key|violates|syntax for type|relation "/i);
}

beforeAll(async () => {
  [app, prod] = await Promise.all([startTestApp(), startTestApp({ production: true })]);
  const world = await buildWorld(app);

  const em = app.orm.em.fork();
  const draft = em.create(ProgramEntity, {
    title: 'Draft program',
    summary: 'Not yet.',
    sessionCount: 4,
    sessionLengthMinutes: 60,
    status: ProgramStatus.DRAFT,
  });
  const { member: accountless } = createMember(
    em,
    { displayName: 'Quinn', timeZone: 'Europe/London', partner: em.getReference(PartnerEntity, world.partners.other.id) },
    { ...NO_IDENTIFIERS, legalName: 'Quinn Accountless', email: 'quinn.accountless@example.org' },
  );
  em.create(AccountEntity, {
    ...sealedAccountFields(em, newId(), LOGIN_EMAIL),
    passwordHash: await hashPassword(LOGIN_PASSWORD),
    role: AccountRole.ADMIN,
    activatedAt: new Date(),
    approvedAt: new Date(),
  });
  const expiredToken = newSecret(SESSION_PREFIX);
  const admin = await em.findOneOrFail(AccountEntity, { emailIndex: emailIndex('admin@kindred.test') });
  em.create(AuthSessionEntity, { account: admin, tokenHash: secretHash(expiredToken), expiresAt: new Date(Date.now() - 60_000) });
  await em.flush();

  const login = await app.gql(LOGIN, { variables: { input: { email: LOGIN_EMAIL, password: LOGIN_PASSWORD } } });
  const revokedToken: string = login.body.data.login.token;
  const logout = await app.gql('mutation { logout { loggedOut userErrors { code } } }', { token: revokedToken });
  expect(logout.body).toEqual({ data: { logout: { loggedOut: true, userErrors: [] } } });

  const key = await app.gql(CREATE_API_KEY, {
    token: world.admin.token,
    variables: { input: { partnerId: world.partners.referring.globalId, label: 'to revoke' } },
  });
  const { apiKey, secret } = key.body.data.createPartnerApiKey;
  const revoked = await app.gql(REVOKE_API_KEY, { token: world.admin.token, variables: { input: { apiKeyId: apiKey.id } } });
  expect(revoked.body.data.revokePartnerApiKey.userErrors).toEqual([]);

  fixtures = {
    ...world,
    draftProgram: { globalId: toGlobalId('Program', draft.id) },
    accountless: { globalId: toGlobalId('Member', accountless.id) },
    expiredToken,
    revokedToken,
    revokedApiKey: secret,
    revokedApiKeyGlobalId: apiKey.id,
  };
});

afterAll(async () => {
  await Promise.all([app?.close(), prod?.close()]);
});

describe('malformed and hostile requests', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const target = c.prod ? prod : app;
    const before = await fingerprint(target);
    const [{ count: actionsBefore } = { count: 0 }] = await target.db.query<{ count: number }>(
      'select count(*)::int as count from staff_action',
    );
    const response = await send(target, c);
    const after = await fingerprint(target);

    expect(after, 'nothing was written').toEqual(before);
    // Only the audit log may have grown: by at most the one row of a refused staff action.
    const recorded = await target.db.query<{ outcome: string }>('select outcome from staff_action order by id offset $1', [actionsBefore]);
    expect(recorded.filter((row) => row.outcome !== 'REFUSED')).toEqual([]);
    expect(recorded.length).toBeLessThanOrEqual(1);
    expectNoInternals(response.text);
    for (const identifier of OTHER_MEMBERS_IDENTIFIERS) expect(response.text).not.toContain(identifier);
    for (const value of c.noEcho ?? []) expect(response.text).not.toContain(value);
    if (c.prod) expect(response.text).not.toMatch(/did you mean/i);

    const errors: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] = response.body?.errors ?? [];
    for (const error of errors) expect(TOP_LEVEL_CODES).toContain(error.extensions?.code);

    if (c.top) {
      expect(errors.length, response.text).toBeGreaterThan(0);
      expect(errors[0]!.extensions?.code, response.text).toBe(c.top.code);
      if (c.top.reason) expect(errors[0]!.extensions?.reason, response.text).toBe(c.top.reason);
      if (c.top.message) expect(errors[0]!.message).toMatch(c.top.message);
      if (c.top.status) expect(response.status, response.text).toBe(c.top.status);
      if (c.top.path) {
        expect(errors[0]!.path).toEqual([c.top.path]);
        expect(response.body.data?.[c.top.path] ?? null).toBeNull();
      }
    }
    if (c.user) {
      expect(response.status, response.text).toBe(200);
      expect(errors, response.text).toEqual([]);
      const payload = response.body.data[c.user.payload];
      expect(
        payload.userErrors.map(({ code, field }: UserErrorExpectation) => ({ code, field })),
        response.text,
      ).toEqual(c.user.errors);
      for (const e of payload.userErrors) expect(e.message).toMatch(/\S/);
      const { userErrors: _, ...rest } = payload;
      for (const value of Object.values(rest)) expect(value).toBeNull();
    }
  });

  it("answers another partner's member exactly as a member that does not exist", async () => {
    const ask = async (query: string, input: Record<string, unknown>) => {
      const response = await app.gql(query, { token: fixtures.partners.referring.token, variables: { input } });
      return response.text;
    };
    const agreementId = fixtures.agreement.globalId;
    expect(await ask(SIGN, { agreementId, memberId: fixtures.members.another.globalId, typedName: 'Sam' })).toBe(
      await ask(SIGN, { agreementId, memberId: unknown('Member'), typedName: 'Sam' }),
    );
    // Asking for a sign-in for another partner's member's address answers as for an unknown address.
    expect(await ask(REQUEST_SIGN_IN, { email: 'quinn.accountless@example.org' })).toBe(
      await ask(REQUEST_SIGN_IN, { email: 'nobody.at.all@example.org' }),
    );
    const read = async (id: string) =>
      (await app.gql('query($id: ID!) { member(id: $id) { id } }', { token: fixtures.partners.referring.token, variables: { id } })).text;
    expect(await read(fixtures.members.another.globalId)).toBe(await read(unknown('Member')));
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const attempt = async (email: string, password: string) =>
      (await app.gql(LOGIN, { variables: { input: { email, password } } })).body.data.login;
    expect(await attempt('nobody.here@example.org', LOGIN_PASSWORD)).toEqual(await attempt(LOGIN_EMAIL, 'not the password at all'));
  });

  it('writes no personal identifier or password into the logs', () => {
    const logs = [...app.logs, ...prod.logs].join('\n');
    for (const identifier of OTHER_MEMBERS_IDENTIFIERS) expect(logs).not.toContain(identifier);
    for (const value of ['jordan.probe', 'Jordan Probe-Person', '+442079460958', '1991-03-04', 'call my sister']) {
      expect(logs).not.toContain(value);
    }
    expect(logs).not.toContain(LOGIN_PASSWORD);
  });

  it('accepts the valid inputs the cases start from (so each case fails for its own reason)', async () => {
    const ok = async (query: string, token: string | undefined, input: Record<string, unknown>, field: string) => {
      const response = await app.gql(query, { token, variables: { input } });
      expect(response.body.errors, response.text).toBeUndefined();
      const payload = response.body.data[field];
      expect(payload.userErrors, response.text).toEqual([]);
      return payload;
    };
    await ok(REGISTER, fixtures.partners.referring.token, validMember(), 'registerMember');
    await ok(
      REGISTER,
      undefined,
      { ...validMember(), email: 'self.registered@example.org', password: 'a long enough password' },
      'registerMember',
    );
    await ok(CREATE_GROUP, fixtures.admin.token, validGroup(fixtures), 'createGroup');
    await ok(CREATE_PROGRAM, fixtures.admin.token, validProgram(), 'createProgram');
    await ok(CREATE_THERAPIST, fixtures.admin.token, validTherapist(), 'createTherapist');
    await ok(UPDATE_GROUP, fixtures.admin.token, { id: fixtures.groups.a.globalId, capacity: 12, title: 'Renamed' }, 'updateGroup');
    const login = await ok(LOGIN, undefined, { email: LOGIN_EMAIL.toUpperCase(), password: LOGIN_PASSWORD }, 'login');
    expect(login.viewer).toEqual({ role: 'ADMIN' });
    const preview = await app.gql(`query($s: GroupScheduleInput!) { previewGroupSessions(schedule: $s) { position } }`, {
      variables: { s: { ...validGroup(fixtures).schedule, sessionCount: 2 } },
    });
    expect(preview.body).toEqual({ data: { previewGroupSessions: [{ position: 1 }, { position: 2 }] } });
    for (const list of ['programs', 'groups', 'members', 'therapists', 'partners', 'agreements']) {
      const page = async (after: string | null) =>
        app.gql(`query($after: String) { ${list}(first: 1, after: $after) { pageInfo { endCursor } nodes { id } } }`, {
          token: fixtures.admin.token,
          variables: { after },
        });
      const first = await page(null);
      const second = await page(first.body.data[list].pageInfo.endCursor);
      expect(second.body.errors, `${list}: ${second.text}`).toBeUndefined();
      expect(second.body.data[list].nodes).not.toContainEqual(first.body.data[list].nodes[0]);
    }
  });
});
