/**
 * Backup and restore as deploy/README.md describes them: the demo installation (a real API
 * process that migrated and seeded an empty database as the app role) is dumped with the
 * machine's pg_dump, restored with pg_restore into a fresh database of the same role, and a real
 * API process on the copy answers the catalogue exactly as the original did and signs the demo
 * member in. With other keys than the escrowed ones, the copy still shows the catalogue but no
 * one can sign in: a backup is only whole with KINDRED_KEK and KINDRED_BLIND_INDEX_KEY.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SIGN_INS } from '../../src/app/seeders/demo.seeder.js';
import { type ApiProcess, type ApiProcesses, startApiProcesses } from '../support/api-processes.js';
import { type AppDatabase, createAppDatabase, PG_BIN, run } from '../support/app-role.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-database.js';

const CATALOGUE = `{ groups(first: 50) { totalCount nodes { id title status capacity seatsTaken waitlistLength
  program { title } leadTherapist { displayName } timeZone schedule { weekday startTime } } } }`;
const LOGIN = 'mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code } } }';
const SELF = '{ viewer { role member { displayName email legalName } } }';
const member = DEMO_SIGN_INS.people.find((p) => p.role === 'MEMBER')!;

let source: AppDatabase;
let restored: TestDatabase | undefined;
let folder: string;
const running: ApiProcesses[] = [];

beforeAll(async () => {
  source = await createAppDatabase();
  folder = await mkdtemp(join(tmpdir(), 'kindred-backup-'));
});
afterAll(async () => {
  await Promise.all(running.map((api) => api.stop()));
  await restored?.drop();
  await source?.drop();
  await rm(folder, { recursive: true, force: true });
});

/** The same database as the app role sees it (its URL with the role's credentials). */
const asAppRole = (db: TestDatabase) => {
  const url = new URL(db.url);
  const app = new URL(source.appUrl);
  url.username = app.username;
  url.password = app.password;
  return { ...db, url: url.toString() };
};

async function start(database: TestDatabase, env: Record<string, string> = {}): Promise<ApiProcess> {
  const api = await startApiProcesses({ count: 1, database, poolMax: 3, env });
  running.push(api);
  return api.processes[0]!;
}

async function signIn(p: ApiProcess) {
  const login = await p.gql(LOGIN, { variables: { input: { email: member.email, password: member.password } } });
  const token = login.body.data?.login?.token as string | undefined;
  return { login: login.body, self: token ? (await p.gql(SELF, { token })).body : null };
}

/** Major version of a PostgreSQL program or server version string ("15.8 (Debian …)" → 15). */
const major = (version: string) => Number(/(\d+)(?:\.\d+)?/.exec(version)?.[1]);

describe('backup and restore', () => {
  it('restores a dump of the demo into a fresh database, which an API process serves as the original did', async (context) => {
    const [{ server_version: serverVersion }] = (await source.db.query<{ server_version: string }>('show server_version')) as [
      { server_version: string },
    ];
    const { stdout: dumpVersion } = await run(`${PG_BIN}/pg_dump`, ['--version']);
    // The embedded server (PostgreSQL 18, when DATABASE_URL is unset) is newer than the machine's pg_dump, which refuses it.
    if (major(dumpVersion.replace(/^\D+/, '')) < major(serverVersion)) {
      context.skip(`pg_dump ${dumpVersion.trim()} cannot dump PostgreSQL ${serverVersion}: run with DATABASE_URL on the machine's server`);
    }

    // The demo installation: migrates and seeds an empty database, as `pnpm start` does.
    const original = await start({ ...source.db, url: source.appUrl }, { KINDRED_DEMO_DATA: 'on' });
    const catalogue = await original.gql(CATALOGUE);
    expect(catalogue.body.data.groups.totalCount).toBeGreaterThan(0);
    const originalMember = await signIn(original);
    expect(originalMember.self?.data.viewer.member.email).toBe(member.email);
    await running.pop()!.stop();

    const dump = join(folder, 'kindred.dump');
    await run(`${PG_BIN}/pg_dump`, ['--format=custom', `--file=${dump}`, source.appUrl]);
    restored = await createEmptyDatabase(source.role);
    await run(`${PG_BIN}/pg_restore`, ['--no-owner', '--exit-on-error', `--dbname=${asAppRole(restored).url}`, dump]);

    const [withKeys, withOtherKeys] = await Promise.all([
      start(asAppRole(restored)),
      start(asAppRole(restored), {
        KINDRED_KEK: randomBytes(32).toString('base64'),
        KINDRED_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      }),
    ]);
    expect((await withKeys.gql(CATALOGUE)).body).toEqual(catalogue.body);
    expect(await signIn(withKeys)).toEqual({
      login: { data: { login: { token: expect.any(String), userErrors: [] } } },
      self: originalMember.self,
    });

    expect((await withOtherKeys.gql(CATALOGUE)).body).toEqual(catalogue.body);
    const lost = await signIn(withOtherKeys);
    expect(lost.self).toBeNull();
    expect(lost.login.data.login.userErrors).not.toEqual([]);
  }, 180_000);
});
