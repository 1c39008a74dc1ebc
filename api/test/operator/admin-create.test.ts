/**
 * The operator command that makes an installation's first admin (`pnpm kindred admin:create`),
 * run as an operator would: a separate process on the server's database. The admin it makes
 * chooses its own password from the printed link, and the command is in the staff action log.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from '../support/world.js';

const run = promisify(execFile);
const API_DIR = fileURLToPath(new URL('../..', import.meta.url));
const { app } = await startWorld();
afterAll(() => app.close());

async function adminCreate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/cli.ts', 'admin:create', ...args],
      { cwd: API_DIR, env: { ...process.env, DATABASE_URL: app.db.url, PUBLIC_URL: 'https://kindred.example.org' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('pnpm kindred admin:create', () => {
  it('makes an approved admin that signs in with the password it chose from the printed link', async () => {
    const result = await adminCreate('--email', 'Founder@Example.org');
    expect(result.code).toBe(0);
    const link = /https:\/\/kindred\.example\.org\/account\/invitation#token=(kat_[\w-]+)/.exec(result.stdout);
    expect(link).not.toBeNull();

    const accepted = await app.gql(
      `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { done userErrors { code } } }`,
      {
        variables: { input: { token: link![1], password: 'the founder chose this' } },
      },
    );
    expect(accepted.body).toEqual({ data: { acceptInvitation: { done: true, userErrors: [] } } });
    const login = await app.gql(
      `mutation { login(input: { email: "founder@example.org", password: "the founder chose this" }) { token viewer { role } userErrors { code } } }`,
    );
    expect(login.body.data.login).toEqual({ token: expect.stringMatching(/^kss_/), viewer: { role: 'ADMIN' }, userErrors: [] });

    const log = await app.gql(`{ staffActions(first: 5) { nodes { actorKind actor { __typename } action outcome subjectType } } }`, {
      token: login.body.data.login.token,
    });
    expect(log.body.data.staffActions.nodes).toContainEqual({
      actorKind: 'OPERATOR',
      actor: null,
      action: 'admin:create',
      outcome: 'DONE',
      subjectType: 'Admin',
    });
  });

  it('refuses an address that already signs in, and a missing or invalid one, creating nothing', async () => {
    const count = () => app.db.query(`select count(*)::int as n from account where role = 'ADMIN'`);
    const before = await count();
    for (const args of [['--email', 'admin@kindred.test'], ['--email', 'not-an-address'], []]) {
      const result = await adminCreate(...args);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('#token=');
    }
    expect(await count()).toEqual(before);
  });
});
