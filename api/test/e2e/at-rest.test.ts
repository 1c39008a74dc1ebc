/**
 * Personal data at rest (docs/encryption.md), tried as an attacker with a copy of the database
 * would: the demo data, plus what the API writes when people register, ask for a sign-in, change
 * an address, set up a second factor and read identifiers — then every text, bytea and JSON column
 * of every table in every schema (the job queue's included) is searched for each identifier, as
 * typed, lower-cased, upper-cased and JSON-escaped. None may be found. The server's log is
 * searched too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrapRow } from '../../src/crypto/data-keys.js';
import { open, openOptional, sealedPlaces } from '@kindred/crypto';
import { DEMO_SIGN_INS, seedDemoIfEmpty } from '../../src/app/seeders/demo.seeder.js';
import { type Mailbox, startMailbox } from '../support/mailbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
let mailbox: Mailbox;
const written: string[] = [];

const PARTNER_MEMBER = {
  displayName: 'Quill',
  timeZone: 'Europe/Paris',
  legalName: 'Quillon Atrestperson',
  email: 'quillon.atrest@example.org',
  phone: '+33612345678',
  dateOfBirth: '1987-11-23',
  emergencyContact: { name: 'Brisevent Atrestperson', phone: '+33698765432', relationship: 'brother' },
};

beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startTestApp({ smtpUrl: mailbox.url });
  await seedDemoIfEmpty(app.orm);
  const partner = DEMO_SIGN_INS.partnerApiKey;

  const registered = await app.gql(
    `mutation($input: RegisterMemberInput!) { registerMember(input: $input) { member { id } userErrors { code } } }`,
    { token: partner, variables: { input: PARTNER_MEMBER } },
  );
  expect(registered.body.data.registerMember.userErrors).toEqual([]);
  const memberId: string = registered.body.data.registerMember.member.id;
  const signed = await app.gql(`mutation($input: SignAgreementInput!) { signAgreement(input: $input) { userErrors { code } } }`, {
    token: partner,
    variables: { input: { memberId, agreementId: await agreementId(), typedName: 'Quillon Typedname Atrestperson' } },
  });
  expect(signed.body.data.signAgreement.userErrors).toEqual([]);
  written.push(...Object.values(PARTNER_MEMBER.emergencyContact), PARTNER_MEMBER.legalName, PARTNER_MEMBER.email, PARTNER_MEMBER.phone);
  written.push('Quillon Typedname Atrestperson');

  // The person asks for its own sign-in: a link carrying its address, mailed by a job.
  await app.gql(`mutation { requestMemberSignIn(input: { email: "quillon.atrest@example.org" }) { accepted } }`);
  await mailbox.waitFor(PARTNER_MEMBER.email);

  // Someone registers themself.
  await app.gql(`mutation($input: RegisterMemberInput!) { registerMember(input: $input) { userErrors { code } } }`, {
    variables: {
      input: {
        displayName: 'Sel',
        timeZone: 'UTC',
        legalName: 'Selvane Selfregistered',
        email: 'selvane.self@example.org',
        password: 'a long enough password',
      },
    },
  });
  await mailbox.waitFor('selvane.self@example.org');
  written.push('Selvane Selfregistered', 'selvane.self@example.org');

  // An admin changes its sign-in address and starts a second factor.
  const admin = DEMO_SIGN_INS.people[0]!;
  const login = await app.gql(`mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`, {
    variables: { e: admin.email, p: admin.password },
  });
  const adminToken: string = login.body.data.login.token;
  await app.gql(
    `mutation { changeSignInEmail(input: { newEmail: "renamed.admin@example.org", password: "${admin.password}" }) { accepted } }`,
    {
      token: adminToken,
    },
  );
  await mailbox.waitFor('renamed.admin@example.org');
  const setup = await app.gql(`mutation { beginSecondFactorSetup { secondFactorSetup { secret } userErrors { code } } }`, {
    token: adminToken,
  });
  written.push('renamed.admin@example.org', setup.body.data.beginSecondFactorSetup.secondFactorSetup.secret);

  // A therapist reads its members' identifiers (audited).
  const therapist = DEMO_SIGN_INS.people.find((p) => p.role === 'THERAPIST')!;
  const signIn = await app.gql(`mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`, {
    variables: { e: therapist.email, p: therapist.password },
  });
  const read = await app.gql(`{ members(first: 50) { nodes { legalName email phone dateOfBirth emergencyContact { name phone } } } }`, {
    token: signIn.body.data.login.token,
  });
  const nodes = read.body.data.members.nodes as { legalName: string | null }[];
  expect(nodes.filter((n) => n.legalName).length).toBeGreaterThan(0);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await mailbox?.stop();
});

async function agreementId(): Promise<string> {
  const response = await app.gql(`{ programs(first: 5) { nodes { requiredAgreement { id } } } }`, { token: DEMO_SIGN_INS.partnerApiKey });
  return (response.body.data.programs.nodes as { requiredAgreement: { id: string } | null }[]).find((p) => p.requiredAgreement)!
    .requiredAgreement!.id;
}

/** Every identifier stored, opened with the keys (so the scan looks for what is really there). */
async function storedIdentifiers(): Promise<string[]> {
  const identities = await app.db.query<Record<string, Buffer | string | null>>(
    `select i.*, k.id as key_id, k.wrapped, k.kek_id from member_identity i join member m on m.id = i.member_id join data_key k on k.id = m.data_key_id`,
  );
  const values: string[] = [];
  for (const row of identities) {
    const key = unwrapRow(row as never)!;
    const place = sealedPlaces.member(row.member_id as string);
    for (const [column, field] of [
      ['legal_name', 'legalName'],
      ['email', 'email'],
      ['phone', 'phone'],
      ['date_of_birth', 'dateOfBirth'],
      ['emergency_contact_name', 'emergencyContactName'],
      ['emergency_contact_phone', 'emergencyContactPhone'],
    ] as const) {
      const value = openOptional(key, row[column] as Buffer | null, place[field]);
      if (value) values.push(value);
    }
  }
  const signatures = await app.db.query<Record<string, Buffer | string>>(
    `select s.id, s.typed_name, k.id as key_id, k.wrapped, k.kek_id from signature s join member m on m.id = s.member_id join data_key k on k.id = m.data_key_id`,
  );
  for (const row of signatures)
    values.push(open(unwrapRow(row as never)!, row.typed_name as Buffer, sealedPlaces.signature(row.id as string)));
  const accounts = await app.db.query<Record<string, Buffer | string>>(
    `select a.id, a.email, k.id as key_id, k.wrapped, k.kek_id from account a join data_key k on k.id = a.data_key_id where a.role = 'MEMBER'`,
  );
  for (const row of accounts)
    values.push(open(unwrapRow(row as never)!, row.email as Buffer, sealedPlaces.account(row.id as string).email));
  return [...new Set(values)];
}

/** The forms a value could be stored in. */
function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, value.toLowerCase(), value.toUpperCase(), escaped, escaped.toLowerCase()])];
}

/** Where any of `needles` is found: `schema.table.column: needle`. */
async function scan(columns: { schema: string; table: string; column: string; type: string }[], needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of columns) {
    const target = `"${c.schema}"."${c.table}"`;
    const column = `"${c.column}"`;
    const hits =
      c.type === 'bytea'
        ? await app.db.query<{ needle: string }>(
            `select n as needle from unnest($1::text[]) n where exists (select 1 from ${target} where position(convert_to(n, 'UTF8') in ${column}) > 0)`,
            [needles],
          )
        : await app.db.query<{ needle: string }>(
            `select n as needle from unnest($1::text[]) n where exists (select 1 from ${target} where strpos(lower(${column}::text), lower(n)) > 0)`,
            [needles],
          );
    for (const hit of hits) found.push(`${c.schema}.${c.table}.${c.column}: ${hit.needle}`);
  }
  return found;
}

describe('a copy of the database', () => {
  it('holds the identifiers only sealed: found in no text, bytea or JSON column of any table in any schema', async () => {
    const values = [...new Set([...(await storedIdentifiers()), ...written])];
    expect(values.length).toBeGreaterThan(200);
    expect(values).toEqual(expect.arrayContaining(written));
    const columns = await app.db.query<{ schema: string; table: string; column: string; type: string }>(
      `select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type
         from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
          and (c.data_type in ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED'))`,
    );
    expect(columns.map((c) => `${c.schema}.${c.table}`)).toEqual(
      expect.arrayContaining(['public.member_identity', 'public.account', 'graphile_worker._private_jobs', 'public.staff_action']),
    );
    const needles = values.flatMap(forms);
    // The scan finds what is there: an identifier planted JSON-escaped in a JSON column is found.
    await app.db.query(`insert into idempotency_key (caller, key, operation, request_hash, result) values ('planted', 'k', 'x', 'h', $1)`, [
      JSON.stringify({ note: PARTNER_MEMBER.legalName.toUpperCase() }),
    ]);
    expect(await scan(columns, needles)).toContain(`public.idempotency_key.result: ${PARTNER_MEMBER.legalName.toUpperCase()}`);
    await app.db.query(`delete from idempotency_key where caller = 'planted'`);
    const found = await scan(columns, needles);
    expect(found).toEqual([]);
  });

  it('and the server log holds none of them either', async () => {
    const values = [...new Set([...(await storedIdentifiers()), ...written])];
    const log = app.logs.join('').toLowerCase();
    expect(values.flatMap(forms).filter((needle) => log.includes(needle.toLowerCase()))).toEqual([]);
  });
});
