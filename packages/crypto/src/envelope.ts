/**
 * Envelope encryption (docs/encryption.md): each member and each account has its own data key
 * (AES-256), stored only wrapped by the key-encryption key; its personal data is sealed with that
 * data key. Destroying the wrapped key makes every value sealed with it unreadable
 * (crypto-shredding); rotating the KEK re-wraps the data keys and leaves the sealed values as
 * they are.
 *
 * Both layers are AES-256-GCM (node:crypto) with a fresh 96-bit nonce each time. A sealed value
 * is bound to where it belongs by its additional data ("member:<id>:legalName"): a value copied
 * into another row or column does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type KeyEncryptionKey, keyring } from './keyring.js';

const FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function encrypt(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, cipher.getAuthTag(), body]);
}

/** Throws when the key is wrong, the context differs or a byte was changed. */
function decrypt(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== FORMAT) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
}

/** Seals a text with a data key, for the place `context` names. */
export const seal = (key: Buffer, plaintext: string, context: string): Buffer => encrypt(key, Buffer.from(plaintext, 'utf8'), context);

/** Seals a value that may be absent (null stays null: absence is not hidden). */
export const sealOptional = (key: Buffer, plaintext: string | null | undefined, context: string): Buffer | null =>
  plaintext == null ? null : seal(key, plaintext, context);

/** Opens a sealed text; throws when it does not open with this key in this place. */
export const open = (key: Buffer, sealed: Buffer, context: string): string => decrypt(key, sealed, context).toString('utf8');

export const openOptional = (key: Buffer, sealed: Buffer | null | undefined, context: string): string | null =>
  sealed == null ? null : open(key, sealed, context);

/** A wrapped data key as stored: its id is the context it is wrapped for. */
export interface WrappedKey {
  id: string;
  wrapped: Buffer;
  kekId: string;
}

const wrapContext = (id: string) => `data-key:${id}`;

/** Wraps a data key under a KEK (by default the current one). */
export function wrapDataKey(id: string, key: Buffer, kek: KeyEncryptionKey = keyring().kek): WrappedKey {
  return { id, wrapped: encrypt(kek.key, key, wrapContext(id)), kekId: kek.id };
}

/** A new random data key, with its wrapped form to store. */
export function newDataKey(id: string): { key: Buffer; stored: WrappedKey } {
  const key = randomBytes(32);
  return { key, stored: wrapDataKey(id, key) };
}

/** Unwraps a stored data key with the KEK that wrapped it (the current one or one being rotated out). */
export function unwrapDataKey(stored: WrappedKey): Buffer {
  const { kek, previous } = keyring();
  const wrapping = [kek, ...previous].find((candidate) => candidate.id === stored.kekId);
  if (!wrapping) throw new Error(`data key ${stored.id} is wrapped by a key-encryption key this process does not hold (${stored.kekId})`);
  return decrypt(wrapping.key, stored.wrapped, wrapContext(stored.id));
}
