/**
 * The identifier audit (docs/personal-identifiers.md): every read of a protected field by
 * an authorised viewer is in `identifier_audit` (who, which member, which fields, which
 * operation and request); denied reads are not; the table is append-only; and when the audit
 * cannot be written the identifiers are not returned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.js';
import { createMember } from '../../src/modules/members/index.js';
import { ReservationEntity, ReservationStatus } from '../../src/modules/reservations/index.js';
import { startTestApp, type GqlOptions, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { buildWorld, NO_IDENTIFIERS, SUBJECT_IDENTITY, type World } from '../support/world.js';

interface AuditRow {
  id: string;
  actor_kind: string;
  actor_account_id: string | null;
  actor_partner_id: string | null;
  member_id: string;
  fields: string[];
  operation_name: string | null;
  request_id: string;
  read_at: Date;
  xmin: string;
}

let app: TestApp;
let world: World;
const accounts = {} as { subject: string; lead: string; co: string };

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app);
  const therapistAccount = async (id: string) =>
    (await app.db.query<{ id: string }>('select id from account where therapist_id = $1', [id]))[0]!.id;
  accounts.subject = (
    await app.db.query<{ account_id: string }>('select account_id from member where id = $1', [world.members.subject.id])
  )[0]!.account_id;
  accounts.lead = await therapistAccount(world.therapists.lead.id);
  accounts.co = await therapistAccount(world.therapists.co.id);
});
afterAll(() => app.close());

async function lastAuditId(): Promise<number> {
  const [row] = await app.db.query<{ max: number }>('select coalesce(max(id), 0)::int as max from identifier_audit');
  return row!.max;
}

async function auditRowsAfter(id: number): Promise<AuditRow[]> {
  return app.db.query<AuditRow>('select *, xmin::text as xmin from identifier_audit where id > $1 order by id', [id]);
}

/** The row as the test compares it: fields sorted (their order is not part of the contract). */
function summary(row: AuditRow) {
  return {
    actor_kind: row.actor_kind,
    actor_account_id: row.actor_account_id,
    actor_partner_id: row.actor_partner_id,
    member_id: row.member_id,
    fields: [...row.fields].sort(),
    operation_name: row.operation_name,
    request_id: row.request_id,
  };
}

/** Sends a request and returns its response, the audit rows it wrote and its server request ID (from the log). */
async function audited(
  query: string,
  options: GqlOptions = {},
): Promise<{ response: GraphQLResponse; rows: AuditRow[]; requestId: string }> {
  const before = await lastAuditId();
  const logsBefore = app.logs.length;
  const response = await app.gql(query, options);
  const requestIds = app.logs
    .slice(logsBefore)
    .map((line) => JSON.parse(line) as { reqId?: string; msg?: string })
    .filter((line) => line.msg === 'request completed')
    .map((line) => line.reqId!);
  expect(requestIds).toHaveLength(1);
  return { response, rows: await auditRowsAfter(before), requestId: requestIds[0]! };
}

const MEMBER_QUERY = (fields: string) => `query ReadMember($id: ID!) { member(id: $id) { displayName ${fields} } }`;
const SIGNATURE_QUERY = `query ReadSignature($id: ID!) { node(id: $id) { ... on Signature { typedName } } }`;

describe('identifier audit', () => {
  it('records who read which fields of whom, in which operation and request', async () => {
    const { response, rows, requestId } = await audited(
      `query LeadReadsSubject($id: ID!) { member(id: $id) { displayName legalName email dateOfBirth } }`,
      { variables: { id: world.members.subject.globalId }, token: world.therapists.lead.token, operationName: 'LeadReadsSubject' },
    );
    expect(response.body).toEqual({
      data: {
        member: {
          displayName: 'Rowan',
          legalName: SUBJECT_IDENTITY.legalName,
          email: SUBJECT_IDENTITY.email,
          dateOfBirth: SUBJECT_IDENTITY.dateOfBirth,
        },
      },
    });
    expect(rows.map(summary)).toEqual([
      {
        actor_kind: 'THERAPIST',
        actor_account_id: accounts.lead,
        actor_partner_id: null,
        member_id: world.members.subject.id,
        fields: ['dateOfBirth', 'email', 'legalName'],
        operation_name: 'LeadReadsSubject',
        request_id: requestId,
      },
    ]);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - rows[0]!.read_at.getTime()).toBeLessThan(60_000);
  });

  const authorised = [
    { who: 'the member itself', kind: 'MEMBER', token: () => world.members.subject.token, account: () => accounts.subject },
    { who: 'the lead therapist', kind: 'THERAPIST', token: () => world.therapists.lead.token, account: () => accounts.lead },
    { who: 'a co-therapist', kind: 'THERAPIST', token: () => world.therapists.co.token, account: () => accounts.co },
  ];
  const memberFields = ['legalName', 'email', 'phone', 'dateOfBirth', 'emergencyContact { name }'];

  for (const viewer of authorised) {
    for (const field of memberFields) {
      const name = field.split(' ')[0]!;
      it(`writes exactly one row when ${viewer.who} reads Member.${name}`, async () => {
        const { response, rows, requestId } = await audited(MEMBER_QUERY(field), {
          variables: { id: world.members.subject.globalId },
          token: viewer.token(),
          operationName: 'ReadMember',
        });
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data.member[name]).not.toBeNull();
        expect(rows.map(summary)).toEqual([
          {
            actor_kind: viewer.kind,
            actor_account_id: viewer.account(),
            actor_partner_id: null,
            member_id: world.members.subject.id,
            fields: [name],
            operation_name: 'ReadMember',
            request_id: requestId,
          },
        ]);
      });
    }

    it(`writes exactly one row when ${viewer.who} reads Signature.typedName`, async () => {
      const { response, rows, requestId } = await audited(SIGNATURE_QUERY, {
        variables: { id: world.members.subject.signatureGlobalId },
        token: viewer.token(),
        operationName: 'ReadSignature',
      });
      expect(response.body).toEqual({ data: { node: { typedName: SUBJECT_IDENTITY.typedName } } });
      expect(rows.map(summary)).toEqual([
        {
          actor_kind: viewer.kind,
          actor_account_id: viewer.account(),
          actor_partner_id: null,
          member_id: world.members.subject.id,
          fields: ['typedName'],
          operation_name: 'ReadSignature',
          request_id: requestId,
        },
      ]);
    });
  }

  it('records an unnamed operation with no operation name', async () => {
    const { rows, requestId } = await audited(`{ viewer { member { email } } }`, { token: world.members.subject.token });
    expect(rows.map(summary)).toEqual([
      {
        actor_kind: 'MEMBER',
        actor_account_id: accounts.subject,
        actor_partner_id: null,
        member_id: world.members.subject.id,
        fields: ['email'],
        operation_name: null,
        request_id: requestId,
      },
    ]);
  });

  it('records identifiers read in a mutation payload', async () => {
    const published = await app.gql(
      `mutation { publishAgreementVersion(input: { agreementId: "${world.agreement.globalId}", bodyMarkdown: "v2", requiresResign: true }) { userErrors { code } } }`,
      { token: world.admin.token },
    );
    expect(published.body.data.publishAgreementVersion.userErrors).toEqual([]);
    const { response, rows, requestId } = await audited(
      `mutation SignIt($input: SignAgreementInput!) { signAgreement(input: $input) { signature { typedName } userErrors { code } } }`,
      {
        variables: { input: { agreementId: world.agreement.globalId, typedName: SUBJECT_IDENTITY.typedName } },
        token: world.members.subject.token,
        operationName: 'SignIt',
      },
    );
    expect(response.body).toEqual({ data: { signAgreement: { signature: { typedName: SUBJECT_IDENTITY.typedName }, userErrors: [] } } });
    expect(rows.map(summary)).toEqual([
      {
        actor_kind: 'MEMBER',
        actor_account_id: accounts.subject,
        actor_partner_id: null,
        member_id: world.members.subject.id,
        fields: ['typedName'],
        operation_name: 'SignIt',
        request_id: requestId,
      },
    ]);
  });

  const EVERY_PATH = `query Everything($member: ID!, $signature: ID!, $reservation: ID!, $group: ID!) {
    member(id: $member) { displayName legalName email phone dateOfBirth emergencyContact { name } signatures { typedName } }
    node(id: $signature) { ... on Signature { typedName } }
    reservation: node(id: $reservation) { ... on Reservation { member { email } } }
    group(id: $group) { reservations { nodes { member { legalName } } } }
  }`;

  const denied = [
    { who: 'an anonymous caller', token: () => undefined },
    { who: 'another member', token: () => world.members.another.token },
    { who: 'a therapist of another group', token: () => world.therapists.other.token },
    { who: 'an admin', token: () => world.admin.token },
    { who: 'the referring partner', token: () => world.partners.referring.token },
    { who: 'another partner', token: () => world.partners.other.token },
  ];
  for (const viewer of denied) {
    it(`writes nothing when ${viewer.who} is denied`, async () => {
      const { response, rows } = await audited(EVERY_PATH, {
        variables: {
          member: world.members.subject.globalId,
          signature: world.members.subject.signatureGlobalId,
          reservation: world.members.subject.reservationGlobalId,
          group: world.groups.a.globalId,
        },
        token: viewer.token(),
      });
      const codes = new Set((response.body.errors ?? []).map((e) => e.extensions?.code));
      expect(codes.size).toBeGreaterThan(0);
      expect([...codes].every((c) => ['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED'].includes(String(c)))).toBe(true);
      expect(rows).toEqual([]);
    });
  }

  it('writes nothing when an authorised viewer reads no identifier', async () => {
    const { response, rows } = await audited(
      `query Plain($id: ID!) { member(id: $id) { id displayName pronouns timeZone reservations { status } signatures { channel } } }`,
      { variables: { id: world.members.subject.globalId }, token: world.therapists.lead.token },
    );
    expect(response.body.errors).toBeUndefined();
    expect(rows).toEqual([]);
  });

  it('writes the same field once when a request reads it several times', async () => {
    const { response, rows, requestId } = await audited(
      `query Twice($id: ID!) {
        a: member(id: $id) { email }
        b: member(id: $id) { email legalName }
        c: node(id: $id) { ... on Member { email } }
      }`,
      { variables: { id: world.members.subject.globalId }, token: world.therapists.co.token, operationName: 'Twice' },
    );
    expect(response.body).toEqual({
      data: {
        a: { email: SUBJECT_IDENTITY.email },
        b: { email: SUBJECT_IDENTITY.email, legalName: SUBJECT_IDENTITY.legalName },
        c: { email: SUBJECT_IDENTITY.email },
      },
    });
    expect(rows.map(summary)).toEqual([
      {
        actor_kind: 'THERAPIST',
        actor_account_id: accounts.co,
        actor_partner_id: null,
        member_id: world.members.subject.id,
        fields: ['email', 'legalName'],
        operation_name: 'Twice',
        request_id: requestId,
      },
    ]);
  });

  it('writes one row per member of a list, all in one INSERT', async () => {
    const added = await addMembersToGroupA(5);
    const list = (first: number) =>
      audited(`query Roster($first: Int!) { members(first: $first) { nodes { id email phone } } }`, {
        variables: { first },
        token: world.therapists.lead.token,
        operationName: 'Roster',
      });

    const one = await list(1);
    expect(one.rows).toHaveLength(1);

    const all = await list(50);
    const memberIds = [world.members.subject.id, ...added].sort();
    expect(all.response.body.data.members.nodes.map((n: { id: string }) => n.id).sort()).toEqual(
      memberIds.map((id) => toGlobalId('Member', id)).sort(),
    );
    expect(all.rows.map(summary).sort((a, b) => a.member_id.localeCompare(b.member_id))).toEqual(
      memberIds.map((memberId) => ({
        actor_kind: 'THERAPIST',
        actor_account_id: accounts.lead,
        actor_partner_id: null,
        member_id: memberId,
        fields: ['email', 'phone'],
        operation_name: 'Roster',
        request_id: all.requestId,
      })),
    );
    // One statement: one transaction (xmin) and one now(); and a page of 6 costs the same SQL as a page of 1.
    expect(new Set(all.rows.map((r) => r.xmin)).size).toBe(1);
    expect(new Set(all.rows.map((r) => r.read_at.toISOString())).size).toBe(1);
    expect(all.response.sqlStatements).toBe(one.response.sqlStatements);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by PostgreSQL', async () => {
    expect(await lastAuditId()).toBeGreaterThan(0);
    await expect(app.db.query(`update identifier_audit set fields = '{}'`)).rejects.toThrow(/append-only/);
    await expect(app.db.query(`update identifier_audit set actor_kind = 'ADMIN' where id = 1`)).rejects.toThrow(/append-only/);
    await expect(app.db.query('delete from identifier_audit where id = 1')).rejects.toThrow(/append-only/);
    await expect(app.db.query('truncate identifier_audit')).rejects.toThrow(/append-only/);
    const [row] = await app.db.query<{ n: number }>('select count(*)::int as n from identifier_audit where id = 1');
    expect(row).toEqual({ n: 1 });
  });

  describe('when the audit cannot be written', () => {
    async function withAuditDown<T>(run: () => Promise<T>): Promise<T> {
      // Real PostgreSQL refusing every new row, as a full disk, a revoked grant or a broken trigger would.
      await app.db.query('alter table identifier_audit add constraint audit_unavailable check (false) not valid');
      try {
        return await run();
      } finally {
        await app.db.query('alter table identifier_audit drop constraint audit_unavailable');
      }
    }

    it('withholds the identifiers: null with an error at each field, nothing written', async () => {
      const { response, rows } = await withAuditDown(() =>
        audited(MEMBER_QUERY('legalName email emergencyContact { name phone }'), {
          variables: { id: world.members.subject.globalId },
          token: world.therapists.lead.token,
        }),
      );
      expect({
        data: response.body.data,
        errors: response.body.errors?.map((e) => ({ path: e.path, code: e.extensions?.code })),
      }).toEqual({
        data: { member: { displayName: 'Rowan', legalName: null, email: null, emergencyContact: null } },
        errors: expect.arrayContaining([
          { path: ['member', 'legalName'], code: 'INTERNAL_SERVER_ERROR' },
          { path: ['member', 'email'], code: 'INTERNAL_SERVER_ERROR' },
          { path: ['member', 'emergencyContact'], code: 'INTERNAL_SERVER_ERROR' },
        ]),
      });
      expect(response.body.errors).toHaveLength(3);
      expect(rows).toEqual([]);
      for (const value of [SUBJECT_IDENTITY.legalName, SUBJECT_IDENTITY.email, SUBJECT_IDENTITY.emergencyContact.name, 'Quillfeather']) {
        expect(response.text).not.toContain(value);
      }
    });

    it('withholds a whole list and a signature the same way', async () => {
      const { response, rows } = await withAuditDown(() =>
        audited(
          `query Down($signature: ID!) {
            members(first: 50) { nodes { displayName email } }
            node(id: $signature) { ... on Signature { channel typedName } }
          }`,
          { variables: { signature: world.members.subject.signatureGlobalId }, token: world.therapists.lead.token },
        ),
      );
      const nodes = response.body.data.members.nodes as { displayName: string; email: string | null }[];
      expect(nodes.length).toBeGreaterThan(1);
      expect(nodes.every((n) => n.email === null)).toBe(true);
      expect(response.body.data.node).toEqual({ channel: 'PARTNER', typedName: null });
      expect(response.body.errors).toHaveLength(nodes.length + 1);
      expect(response.body.errors!.every((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')).toBe(true);
      expect(rows).toEqual([]);
      expect(response.text).not.toContain('@example.org');
      expect(response.text).not.toContain(SUBJECT_IDENTITY.typedName);
    });

    it('returns the identifiers again, audited, once the audit is back', async () => {
      const { response, rows } = await audited(MEMBER_QUERY('email'), {
        variables: { id: world.members.subject.globalId },
        token: world.therapists.lead.token,
      });
      expect(response.body).toEqual({ data: { member: { displayName: 'Rowan', email: SUBJECT_IDENTITY.email } } });
      expect(rows).toHaveLength(1);
    });
  });

  it('never wrote an identifier value to the server log', () => {
    const log = app.logs.join('\n').toLowerCase();
    for (const value of [
      SUBJECT_IDENTITY.legalName,
      SUBJECT_IDENTITY.email,
      SUBJECT_IDENTITY.phone,
      SUBJECT_IDENTITY.dateOfBirth,
      SUBJECT_IDENTITY.emergencyContact.name,
      SUBJECT_IDENTITY.emergencyContact.phone,
      SUBJECT_IDENTITY.typedName,
      'quillfeather',
      '@example.org',
    ]) {
      expect(log).not.toContain(value.toLowerCase());
    }
  });
});

/** Adds `n` members with identities, CONFIRMED in group A (so the lead therapist may read them). */
async function addMembersToGroupA(n: number): Promise<string[]> {
  const em = app.orm.em.fork();
  return em.transactional(async (tx) => {
    const group = world.groups.a.id;
    return Array.from({ length: n }, (_, i) => {
      const { member } = createMember(
        tx,
        { displayName: `Listed ${i}`, timeZone: 'Europe/London' },
        { ...NO_IDENTIFIERS, legalName: `Listed Person ${i}`, email: `listed.${i}@example.org`, phone: `+1415555${3000 + i}` },
      );
      tx.create(ReservationEntity, { group, member, status: ReservationStatus.CONFIRMED });
      return member.id;
    });
  });
}
