/**
 * Where the encryption keys come from (docs/encryption.md): production refuses to start without
 * them or with a malformed one; development generates a pair once, readable by its owner only,
 * and keeps using it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateKey, keyringFromEnv, useDevelopmentKeys } from '@kindred/crypto';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const API_DIR = fileURLToPath(new URL('../..', import.meta.url));

async function startProduction(keys: Record<string, string>): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9', ...keys };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@kindred/source', '--import', '@swc-node/register/esm-register', 'src/app/main.ts'],
      { cwd: API_DIR, env, timeout: 20_000 },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('encryption keys', () => {
  it('production refuses to start without KINDRED_KEK, or with a key that is not 32 bytes', async () => {
    const missing = await startProduction({});
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('KINDRED_KEK and KINDRED_BLIND_INDEX_KEY are required in production');
    const short = await startProduction({ KINDRED_KEK: 'c2hvcnQ=', KINDRED_BLIND_INDEX_KEY: generateKey() });
    expect(short.code).toBe(1);
    expect(short.output).toContain('KINDRED_KEK must be 32 random bytes');
    const same = generateKey();
    const reused = await startProduction({ KINDRED_KEK: same, KINDRED_BLIND_INDEX_KEY: same });
    expect(reused.output).toContain('KINDRED_BLIND_INDEX_KEY must differ from KINDRED_KEK');
  });

  it('development generates a pair once, owner-readable, and uses the same pair afterwards', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'kindred-keys-')), 'nested', 'keys.json');
    const first: NodeJS.ProcessEnv = {};
    useDevelopmentKeys(file, first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(keyringFromEnv(first)!.kek.key).toHaveLength(32);
    const second: NodeJS.ProcessEnv = {};
    useDevelopmentKeys(file, second);
    expect(second).toEqual(first);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(first);
    // An explicit environment wins over the file.
    const explicit: NodeJS.ProcessEnv = { KINDRED_KEK: generateKey(), KINDRED_BLIND_INDEX_KEY: generateKey() };
    const before = { ...explicit };
    useDevelopmentKeys(file, explicit);
    expect(explicit).toEqual(before);
  });
});
