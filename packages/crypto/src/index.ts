/**
 * How Kindred seals personal data at rest (docs/encryption.md): the keyring, envelope encryption
 * with per-member data keys, the blind index, and where each sealed value lives. A package of its
 * own so that everything that writes personal data — the API, the benchmark's seed — seals it the
 * same way.
 */
export { emailIndex, emailKey, keyedDigest, normaliseEmail } from './blind-index.js';
export { newDataKey, open, openOptional, seal, sealOptional, unwrapDataKey, type WrappedKey, wrapDataKey } from './envelope.js';
export { generateKey, type KeyEncryptionKey, type Keyring, keyring, keyringFromEnv, useDevelopmentKeys, useKeyring } from './keyring.js';
export { sealedPlaces } from './places.js';
