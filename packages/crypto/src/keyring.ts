/**
 * The keys that protect personal data at rest (docs/encryption.md):
 * - the key-encryption key (KEK, `KINDRED_KEK`) wraps each member's and account's data key; during
 *   a rotation the keys it replaces stay readable (`KINDRED_KEK_PREVIOUS`, comma-separated) until
 *   `pnpm kindred keys:rotate` has re-wrapped every data key under the new one;
 * - the blind-index key (`KINDRED_BLIND_INDEX_KEY`) keys the HMAC that finds a sign-in address
 *   without storing it; separate from the KEK, so rotating the KEK never touches an index.
 * Each is 32 random bytes, base64-encoded (`pnpm kindred keys:generate` prints one). Production
 * refuses to start without them; `pnpm start` in development generates a pair once and keeps it in
 * the data directory (.data/keys.json), next to the embedded database it protects.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KeyEncryptionKey {
  /** A fingerprint stored beside each wrapped key, naming the KEK that wrapped it (never the key). */
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** Wraps new data keys and re-wrapped ones. */
  kek: KeyEncryptionKey;
  /** Only unwrap: keys being rotated out. */
  previous: KeyEncryptionKey[];
  blindIndexKey: Buffer;
}

const KEY_BYTES = 32;

/** A new key: 32 random bytes, base64. */
export const generateKey = (): string => randomBytes(KEY_BYTES).toString('base64');

function parseKey(name: string, value: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${name} must be ${KEY_BYTES} random bytes, base64-encoded (pnpm kindred keys:generate)`);
  return key;
}

const kekOf = (name: string, value: string): KeyEncryptionKey => {
  const key = parseKey(name, value);
  return { key, id: createHash('sha256').update('kindred-kek-id\0').update(key).digest('hex').slice(0, 16) };
};

/** The keyring from the environment; null when KINDRED_KEK is not set. */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | null {
  if (!env.KINDRED_KEK) return null;
  if (!env.KINDRED_BLIND_INDEX_KEY) throw new Error('KINDRED_BLIND_INDEX_KEY is required with KINDRED_KEK');
  const kek = kekOf('KINDRED_KEK', env.KINDRED_KEK);
  const blindIndexKey = parseKey('KINDRED_BLIND_INDEX_KEY', env.KINDRED_BLIND_INDEX_KEY);
  if (blindIndexKey.equals(kek.key)) throw new Error('KINDRED_BLIND_INDEX_KEY must differ from KINDRED_KEK');
  const previous = (env.KINDRED_KEK_PREVIOUS ?? '')
    .split(',')
    .filter((value) => value.trim() !== '')
    .map((value) => kekOf('KINDRED_KEK_PREVIOUS', value));
  return { kek, previous, blindIndexKey };
}

let active: Keyring | null = null;

/** The process's keyring, read from the environment on first use. */
export function keyring(): Keyring {
  active ??= keyringFromEnv();
  if (!active) throw new Error('KINDRED_KEK and KINDRED_BLIND_INDEX_KEY are not set: personal data cannot be encrypted');
  return active;
}

/** Replaces the process's keyring (tests of rotation; the environment is read again when null). */
export function useKeyring(next: Keyring | null): void {
  active = next;
}

/**
 * Development only: sets KINDRED_KEK and KINDRED_BLIND_INDEX_KEY from `file`, generating the pair
 * the first time (readable by its owner only). An explicit environment always wins.
 */
export function useDevelopmentKeys(file: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.KINDRED_KEK) return;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ KINDRED_KEK: generateKey(), KINDRED_BLIND_INDEX_KEY: generateKey() }, null, 2)}\n`, {
      mode: 0o600,
    });
    chmodSync(file, 0o600);
  }
  const keys = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  env.KINDRED_KEK = keys.KINDRED_KEK;
  env.KINDRED_BLIND_INDEX_KEY = keys.KINDRED_BLIND_INDEX_KEY;
  active = null;
}
