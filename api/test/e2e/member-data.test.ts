/**
 * A member's own view of its data (docs/personal-identifiers.md): `Member.identifierReads` lists
 * exactly the audited reads of its identifiers, newest first, without being audited itself; and
 * `exportMyData` hands the member every record its sign-in serves as one JSON document, auditing
 * the identifiers it read — and withholding the document when that audit cannot be written.
 * Who is refused either is in test/authz/identifier-matrix.test.ts.
 *
 * Expected answers are built by hand from the world and from the rows in SQL, never from the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { auditedReadsOf as auditedReads, type IdentifierRead as Read, therapistAccountNames } from '../support/identifier-reads.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addMember, buildWorld, SUBJECT_IDENTITY, type World } from '../support/world.js';

let app: TestApp;
let world: World;
let therapistNames: Map<string, string>;
let subjectAccount: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  therapistNames = await therapistAccountNames(app, world);
  const [member] = await app.db.query<{ account_id: string }>('select account_id from member where id = $1', [world.members.subject.id]);
  subjectAccount = member!.account_id;
  await app.db.query(
    `insert into attendance (session_id, member_id, status, recorded_by_id)
     select id, $1, 'PRESENT', $2 from group_session where group_id = $3 and position = 1`,
    [world.members.subject.id, world.therapists.lead.id, world.groups.a.id],
  );
});
afterAll(() => app.close());

const READ_FIELDS = 'readAt readerKind readerDisplayName fields operationName';
const WHO_READ_ME = `query WhoReadMe($first: Int!, $after: String) {
  viewer { member { identifierReads(first: $first, after: $after) {
    totalCount edges { cursor node { ${READ_FIELDS} } } nodes { ${READ_FIELDS} } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } } }
}`;

const auditedReadsOf = (memberId: string) => auditedReads(app, memberId, therapistNames);

const auditCount = async () => (await app.db.query<{ n: number }>('select count(*)::int as n from identifier_audit'))[0]!.n;

function readAs(token: string, query: string, variables: Record<string, unknown> = {}) {
  return app.gql(query, { token, variables });
}

describe('Member.identifierReads', () => {
  let everyRead: Read[];

  it('lists exactly the audited reads of the member: who, when, which fields, which operation — and no more', async () => {
    const started = new Date();
    const subject = { id: world.members.subject.globalId };
    const lead = await readAs(
      world.therapists.lead.token,
      'query TherapistLooksUp($id: ID!) { member(id: $id) { legalName email } }',
      subject,
    );
    expect(lead.body.errors).toBeUndefined();
    const co = await readAs(world.therapists.co.token, 'query($id: ID!) { member(id: $id) { phone } }', subject);
    expect(co.body.errors).toBeUndefined();
    const own = await readAs(
      world.members.subject.token,
      'query MyProfile { viewer { member { dateOfBirth emergencyContact { name } } } }',
    );
    expect(own.body.errors).toBeUndefined();
    const signature = await readAs(
      world.therapists.co.token,
      'query SignatureCheck($id: ID!) { node(id: $id) { ... on Signature { typedName } } }',
      {
        id: world.members.subject.signatureGlobalId,
      },
    );
    expect(signature.body.errors).toBeUndefined();
    // Refused reads are not reads: the admin's attempt is not in the list.
    const admin = await readAs(world.admin.token, 'query AdminTries($id: ID!) { member(id: $id) { legalName } }', subject);
    expect(admin.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    const before = await auditCount();
    const response = await readAs(world.members.subject.token, WHO_READ_ME, { first: 10 });
    expect(await auditCount(), 'reading the list is not itself audited').toBe(before);

    const page = response.body.data.viewer.member.identifierReads;
    const reads = [
      { readerKind: 'THERAPIST', readerDisplayName: 'Co Therapist', fields: ['typedName'], operationName: 'SignatureCheck' },
      { readerKind: 'MEMBER', readerDisplayName: null, fields: ['dateOfBirth', 'emergencyContact'], operationName: 'MyProfile' },
      { readerKind: 'THERAPIST', readerDisplayName: 'Co Therapist', fields: ['phone'], operationName: null },
      { readerKind: 'THERAPIST', readerDisplayName: 'Lead Therapist', fields: ['email', 'legalName'], operationName: 'TherapistLooksUp' },
    ].map((read) => ({ readAt: expect.any(String), ...read }));
    expect(response.body).toEqual({
      data: {
        viewer: {
          member: {
            identifierReads: {
              totalCount: 4,
              edges: reads.map((node) => ({ cursor: expect.any(String), node })),
              nodes: reads,
              pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: page.edges[0].cursor, endCursor: page.edges[3].cursor },
            },
          },
        },
      },
    });
    const times = (page.nodes as Read[]).map((read) => Date.parse(read.readAt));
    expect(times.every((t) => t >= started.getTime() - 1000 && t <= Date.now() + 1000)).toBe(true);
    expect(
      [...times].sort((a, b) => b - a),
      'newest first',
    ).toEqual(times);
    expect(page.nodes).toEqual(await auditedReadsOf(world.members.subject.id));
    everyRead = page.nodes;
    expect(response.text).not.toContain(subjectAccount);
  });

  it('pages through the list with cursors, in a fixed order', async () => {
    const first = (await readAs(world.members.subject.token, WHO_READ_ME, { first: 3 })).body.data.viewer.member.identifierReads;
    expect(first.nodes).toEqual(everyRead.slice(0, 3));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await readAs(world.members.subject.token, WHO_READ_ME, { first: 3, after: first.pageInfo.endCursor });
    expect(next.body.data.viewer.member.identifierReads.nodes).toEqual(everyRead.slice(3));
    expect(next.body.data.viewer.member.identifierReads.pageInfo.hasNextPage).toBe(false);
  });

  it('runs as many SQL statements for a page of one as for a page of a hundred', async () => {
    const counts = [];
    for (const first of [1, 100]) counts.push((await readAs(world.members.subject.token, WHO_READ_ME, { first })).sqlStatements);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
  });

  it('refuses a forged cursor as bad input', async () => {
    const response = await readAs(world.members.subject.token, WHO_READ_ME, {
      first: 3,
      after: Buffer.from(JSON.stringify(['1 or true'])).toString('base64url'),
    });
    expect(response.body.errors?.map((e) => [e.path, e.extensions])).toEqual([
      [['viewer', 'member', 'identifierReads'], { code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' }],
    ]);
  });
});

describe('exportMyData', () => {
  const EXPORT = 'query ExportMine { exportMyData { generatedAt document } }';

  /** Rows of `table` by hand-written SQL, timestamps as the API writes them (ISO, milliseconds). */
  const iso = (value: Date | null) => (value ? value.toISOString() : null);

  async function expectedSubject() {
    const subjectId = world.members.subject.id;
    const [member] = await app.db.query<{ created_at: Date }>('select created_at from member where id = $1', [subjectId]);
    const [reservation] = await app.db.query<{ id: string; created_at: Date }>(
      'select id, created_at from reservation where member_id = $1',
      [subjectId],
    );
    const history = await app.db.query<{ from_status: string | null; to_status: string; at: Date; actor: string; reason: string | null }>(
      'select from_status, to_status, at, actor, reason from reservation_event where reservation_id = $1 order by id',
      [reservation!.id],
    );
    const sessions = await app.db.query<{ id: string; position: number; starts_at: Date; ends_at: Date; status: string }>(
      'select id, position, starts_at, ends_at, status from group_session where group_id = $1 order by position',
      [world.groups.a.id],
    );
    const sessionOf = (s: (typeof sessions)[number]) => ({
      id: toGlobalId('Session', s.id),
      position: s.position,
      startsAt: iso(s.starts_at),
      endsAt: iso(s.ends_at),
    });
    const [signature] = await app.db.query<{ signed_at: Date; version_id: string; published_at: Date }>(
      `select s.signed_at, v.id as version_id, v.published_at from signature s join agreement_version v on v.id = s.agreement_version_id where s.id = $1`,
      [world.members.subject.signatureId],
    );
    const [attendance] = await app.db.query<{ recorded_at: Date }>('select recorded_at from attendance where member_id = $1', [subjectId]);
    const groupA = { id: world.groups.a.globalId, title: 'Group A' };
    return {
      id: world.members.subject.globalId,
      displayName: 'Rowan',
      pronouns: null,
      timeZone: 'Europe/London',
      createdAt: iso(member!.created_at),
      partner: { id: world.partners.referring.globalId, name: 'Referring Clinic' },
      identifiers: {
        legalName: SUBJECT_IDENTITY.legalName,
        email: SUBJECT_IDENTITY.email,
        phone: SUBJECT_IDENTITY.phone,
        dateOfBirth: SUBJECT_IDENTITY.dateOfBirth,
        emergencyContact: SUBJECT_IDENTITY.emergencyContact,
      },
      reservations: [
        {
          id: world.members.subject.reservationGlobalId,
          status: 'CONFIRMED',
          createdAt: iso(reservation!.created_at),
          expiresAt: null,
          endedAt: null,
          endedBy: null,
          cancelledLate: null,
          removalReason: null,
          waitlistPosition: null,
          group: {
            ...groupA,
            status: 'OPEN',
            format: 'ONLINE',
            location: null,
            timeZone: 'Europe/London',
            program: { id: world.program.globalId, title: 'Test Program' },
            sessions: sessions.map((s) => ({ ...sessionOf(s), status: s.status })),
          },
          history: history.map((event) => ({
            fromStatus: event.from_status,
            toStatus: event.to_status,
            at: iso(event.at),
            actorKind: event.actor.split(':')[0],
            reason: event.reason,
          })),
        },
      ],
      signatures: [
        {
          id: world.members.subject.signatureGlobalId,
          signedAt: iso(signature!.signed_at),
          channel: 'PARTNER',
          typedName: SUBJECT_IDENTITY.typedName,
          agreementVersion: {
            id: toGlobalId('AgreementVersion', signature!.version_id),
            version: 1,
            publishedAt: iso(signature!.published_at),
            agreement: { id: world.agreement.globalId, title: 'Confidentiality' },
          },
        },
      ],
      attendance: [{ status: 'PRESENT', recordedAt: iso(attendance!.recorded_at), session: { ...sessionOf(sessions[0]!), group: groupA } }],
      identifierReads: await auditedReadsOf(subjectId),
    };
  }

  it('gives the member its own data as one document, and audits every identifier it read before answering', async () => {
    const lastBefore = (await app.db.query<{ max: number }>('select coalesce(max(id), 0)::int as max from identifier_audit'))[0]!.max;
    const response = await app.gql(EXPORT, { token: world.members.subject.token });
    expect(response.body.errors).toBeUndefined();
    const { generatedAt, document } = response.body.data.exportMyData;

    const written = await app.db.query<{
      actor_kind: string;
      actor_account_id: string;
      member_id: string;
      fields: string[];
      operation_name: string;
    }>('select actor_kind, actor_account_id, member_id, fields, operation_name from identifier_audit where id > $1 order by id', [
      lastBefore,
    ]);
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((row) => row.actor_kind === 'MEMBER' && row.actor_account_id === subjectAccount)).toBe(true);
    expect(written.every((row) => row.member_id === world.members.subject.id && row.operation_name === 'ExportMine')).toBe(true);
    expect(written.flatMap((row) => row.fields).sort()).toEqual([
      'dateOfBirth',
      'email',
      'emergencyContact',
      'legalName',
      'phone',
      'typedName',
    ]);

    expect(document).toEqual({ format: 'kindred-member-data/1', exportedAt: generatedAt, members: [await expectedSubject()] });
    // The reads it lists start with this export's own.
    expect(document.members[0].identifierReads.slice(0, written.length).every((read: Read) => read.operationName === 'ExportMine')).toBe(
      true,
    );
    expect(Date.now() - Date.parse(generatedAt)).toBeLessThan(60_000);
  });

  it('answers no document when the identifier audit cannot be written', async () => {
    await app.db.query('alter table identifier_audit add constraint audit_unavailable check (false) not valid');
    try {
      const response = await app.gql(EXPORT, { token: world.members.subject.token });
      expect(response.body.data).toBeNull();
      expect(response.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['exportMyData'], 'INTERNAL_SERVER_ERROR']]);
      expect(response.text).not.toContain(SUBJECT_IDENTITY.email);
    } finally {
      await app.db.query('alter table identifier_audit drop constraint audit_unavailable');
    }
  });

  it('exports every member record the sign-in serves, oldest first', async () => {
    const second = await addMember(app, world, { displayName: 'Rowan at Other Clinic', partner: 'other' });
    await app.db.query('update member set account_id = $1 where id = $2', [subjectAccount, second.id]);
    const response = await app.gql(EXPORT, { token: world.members.subject.token });
    expect(response.body.errors).toBeUndefined();
    const members = response.body.data.exportMyData.document.members;
    expect(members.map((m: { id: string }) => m.id)).toEqual([world.members.subject.globalId, second.globalId]);
    const [created] = await app.db.query<{ created_at: Date }>('select created_at from member where id = $1', [second.id]);
    expect(members[1]).toEqual({
      id: second.globalId,
      displayName: 'Rowan at Other Clinic',
      pronouns: null,
      timeZone: 'Europe/London',
      createdAt: iso(created!.created_at),
      partner: { id: world.partners.other.globalId, name: 'Other Clinic' },
      identifiers: { legalName: null, email: null, phone: null, dateOfBirth: null, emergencyContact: null },
      reservations: [],
      signatures: [],
      attendance: [],
      identifierReads: await auditedReadsOf(second.id),
    });
    expect(members[1].identifierReads.map((read: Read) => [read.readerKind, read.operationName])).toEqual([['MEMBER', 'ExportMine']]);
  });
});
