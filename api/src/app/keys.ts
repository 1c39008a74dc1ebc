/**
 * Where the process gets its encryption keys (docs/encryption.md): KINDRED_KEK and
 * KINDRED_BLIND_INDEX_KEY from the environment; in production both are required. In
 * development, without them, a pair is generated once and kept in the data directory
 * (`.data/keys.json`, readable by its owner only) — the server and the operator commands of one
 * checkout then share it.
 */
import { fileURLToPath } from 'node:url';
import { keyring, useDevelopmentKeys } from '@kindred/crypto';

const DEVELOPMENT_KEYS = fileURLToPath(new URL('../../../.data/keys.json', import.meta.url));

/** Loads the keyring (throws, with what to set, when a key is missing or malformed). */
export function loadKeys(production: boolean): void {
  if (production && (!process.env.KINDRED_KEK || !process.env.KINDRED_BLIND_INDEX_KEY)) {
    throw new Error('KINDRED_KEK and KINDRED_BLIND_INDEX_KEY are required in production: personal data is stored encrypted');
  }
  if (!production) useDevelopmentKeys(DEVELOPMENT_KEYS);
  keyring();
}
