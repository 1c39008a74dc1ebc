/**
 * Migration 0013 on a database that already holds people in clear, as an installation upgrading
 * would: every identifier, typed name, sign-in address, second-factor secret and pending address is
 * sealed in place, nothing stays in clear, and the upgraded API reads them back and signs in by
 * address.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate, openOrm } from '../../src/app/orm.js';
import { hashPassword } from '../../src/authz/credentials.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import { installJobQueue } from '../../src/jobs/worker.js';
import { storedIdentity, storedTypedName } from '../support/sealed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { TestDatabase } from '../support/test-database.js';

const adminUrl = inject('adminDatabaseUrl');
const name = `kindred_upgrade_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
pool.on('error', () => {}); // the drop at the end terminates idle clients on purpose
const db: TestDatabase = {
  url: url.toString(),
  query: async (sql, params) => (await pool.query(sql, params as unknown[])).rows,
  drop: async () => {},
};
let app: TestApp | undefined;
afterAll(async () => {
  await app?.close();
  await pool.end();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const PERSON = {
  legalName: 'Oriane Upgradeperson',
  email: 'oriane.upgrade@example.org',
  phone: '+33611223344',
  dateOfBirth: '1979-05-06',
  typedName: 'Oriane U.',
};

describe('migration 0013 on a database with people in it', () => {
  it('seals every stored identifier in place; the upgraded API reads them and signs in by address', async () => {
    const orm = await openOrm(db.url, 2);
    await installJobQueue(db.url);
    await orm.getMigrator().up({ to: '20261203-0012-session-last-used' });
    await orm.close();

    const [memberId, accountId, signatureId, tokenId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await db.query(
      `insert into account (id, email, password_hash, role, activated_at, totp_pending_secret)
       values ($1, $2, $3, 'MEMBER', now(), 'JBSWY3DPEHPK3PXPUPGRADE')`,
      [accountId, PERSON.email, await hashPassword('a long enough password')],
    );
    await db.query(`insert into member (id, display_name, time_zone, account_id) values ($1, 'Oriane', 'UTC', $2)`, [memberId, accountId]);
    await db.query(`insert into member_identity (member_id, legal_name, email, phone, date_of_birth) values ($1, $2, $3, $4, $5)`, [
      memberId,
      PERSON.legalName,
      PERSON.email,
      PERSON.phone,
      PERSON.dateOfBirth,
    ]);
    const [agreement, version] = [randomUUID(), randomUUID()];
    await db.query(`insert into agreement (id, kind, title) values ($1, 'CONFIDENTIALITY', 'A')`, [agreement]);
    await db.query(
      `insert into agreement_version (id, agreement_id, version, body_markdown, requires_resign, published_at) values ($1, $2, 1, 'B', false, now())`,
      [version, agreement],
    );
    await db.query(`insert into signature (id, member_id, agreement_version_id, typed_name, channel) values ($1, $2, $3, $4, 'MEMBER')`, [
      signatureId,
      memberId,
      version,
      PERSON.typedName,
    ]);
    await db.query(
      `insert into account_token (id, purpose, account_id, email, expires_at) values ($1, 'CHANGE_EMAIL', $2, 'oriane.new@example.org', now() + interval '1 day')`,
      [tokenId, accountId],
    );

    const upgrade = await openOrm(db.url, 2);
    await migrate(upgrade);
    await upgrade.close();
    app = await startTestApp({ database: db });

    expect(await storedIdentity(db, memberId)).toEqual({
      legal_name: PERSON.legalName,
      email: PERSON.email,
      phone: PERSON.phone,
      date_of_birth: PERSON.dateOfBirth,
    });
    expect(await storedTypedName(db, signatureId)).toBe(PERSON.typedName);
    const clear = await db.query(
      `select 1 from member_identity where position(convert_to($1, 'UTF8') in legal_name) > 0
       union all select 1 from account where position(convert_to($2, 'UTF8') in email) > 0 or position(convert_to('UPGRADE', 'UTF8') in totp_pending_secret) > 0
       union all select 1 from account_token where position(convert_to('oriane.new', 'UTF8') in email) > 0
       union all select 1 from signature where position(convert_to($3, 'UTF8') in typed_name) > 0`,
      [PERSON.legalName, PERSON.email, PERSON.typedName],
    );
    expect(clear).toEqual([]);

    const login = await app.gql(
      `mutation($e: String!) { login(input: { email: $e, password: "a long enough password" }) { token userErrors { code } } }`,
      { variables: { e: PERSON.email } },
    );
    expect(login.body.data.login.userErrors).toEqual([]);
    const me = await app.gql(`{ viewer { member { id legalName signatures { typedName } } } }`, { token: login.body.data.login.token });
    expect(me.body.data.viewer).toEqual({
      member: { id: toGlobalId('Member', memberId), legalName: PERSON.legalName, signatures: [{ typedName: PERSON.typedName }] },
    });
  });
});
