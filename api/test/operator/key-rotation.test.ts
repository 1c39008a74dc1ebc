/**
 * Rotating the key-encryption key (docs/encryption.md, "Rotating the KEK"), as an operator would:
 * `pnpm kindred keys:rotate` in a separate process, with the new KEK and the old one as previous,
 * on the database the server uses. Afterwards every data key is wrapped by the new KEK only: the
 * API opens everything with the new KEK alone, nothing opens with the old one, and sign-in by
 * address still works (the blind index has its own key, which did not change).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateKey, keyringFromEnv, unwrapDataKey, useKeyring } from '@kindred/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/authz/credentials.js';
import { startWorld } from '../support/world.js';

const run = promisify(execFile);
const API_DIR = fileURLToPath(new URL('../..', import.meta.url));
const { app, world } = await startWorld();
const OLD = process.env.KINDRED_KEK!;
const NEW = generateKey();
const BLIND = process.env.KINDRED_BLIND_INDEX_KEY!;
afterAll(async () => {
  useKeyring(null);
  await app.close();
});

const IDENTIFIERS = `query { viewer { member { legalName email phone dateOfBirth emergencyContact { name phone relationship } signatures { typedName } } } }`;

const wrapped = () => app.db.query<{ id: string; wrapped: Buffer; kek_id: string }>('select id, wrapped, kek_id from data_key order by id');

describe('pnpm kindred keys:rotate', () => {
  it('re-wraps every data key under the new KEK; everything opens with it alone and nothing with the old one', async () => {
    const before = await app.gql(IDENTIFIERS, { token: world.members.subject.token });
    expect(before.body.data.viewer.member.legalName).toBe(world.members.subject.identity.legalName);
    const keysBefore = await wrapped();
    const oldRing = keyringFromEnv({ KINDRED_KEK: OLD, KINDRED_BLIND_INDEX_KEY: BLIND })!;
    const newRing = keyringFromEnv({ KINDRED_KEK: NEW, KINDRED_BLIND_INDEX_KEY: BLIND })!;
    expect(new Set(keysBefore.map((k) => k.kek_id))).toEqual(new Set([oldRing.kek.id]));

    const { stdout } = await run(
      process.execPath,
      ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/cli.ts', 'keys:rotate'],
      { cwd: API_DIR, env: { ...process.env, DATABASE_URL: app.db.url, KINDRED_KEK: NEW, KINDRED_KEK_PREVIOUS: OLD } },
    );
    expect(stdout).toBe(`Re-wrapped ${keysBefore.length} data keys under the current KINDRED_KEK.\n`);

    const keysAfter = await wrapped();
    expect(keysAfter.map((k) => k.id)).toEqual(keysBefore.map((k) => k.id));
    expect(new Set(keysAfter.map((k) => k.kek_id))).toEqual(new Set([newRing.kek.id]));
    // Nothing opens with the old KEK any more …
    useKeyring({ ...oldRing, previous: [{ ...oldRing.kek, id: newRing.kek.id }] });
    for (const key of keysAfter) expect(() => unwrapDataKey({ id: key.id, wrapped: key.wrapped, kekId: key.kek_id })).toThrow();
    // … and the API, holding only the new one, reads everything as before.
    useKeyring(newRing);
    const after = await app.gql(IDENTIFIERS, { token: world.members.subject.token });
    expect(after.body).toEqual(before.body);

    // Sign-in by address: the blind index did not change.
    await app.db.query('update account a set password_hash = $1 from member m where m.account_id = a.id and m.id = $2', [
      await hashPassword('a long enough password'),
      world.members.subject.id,
    ]);
    const login = await app.gql(
      `mutation($e: String!) { login(input: { email: $e, password: "a long enough password" }) { viewer { role } userErrors { code } } }`,
      {
        variables: { e: world.members.subject.identity.email },
      },
    );
    expect(login.body.data.login).toEqual({ viewer: { role: 'MEMBER' }, userErrors: [] });

    // A second run has nothing left to do.
    const again = await run(
      process.execPath,
      ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/cli.ts', 'keys:rotate'],
      { cwd: API_DIR, env: { ...process.env, DATABASE_URL: app.db.url, KINDRED_KEK: NEW, KINDRED_KEK_PREVIOUS: OLD } },
    );
    expect(again.stdout).toBe('Re-wrapped 0 data keys under the current KINDRED_KEK.\n');
  });
});
