/**
 * Blind index (docs/encryption.md): finds a sign-in address, and keeps addresses unique, without
 * storing it — HMAC-SHA-256 of the normalised address under its own key (never the KEK). The
 * same address always gives the same index; without the key an index tells nothing.
 */
import { createHmac } from 'node:crypto';
import { keyring } from './keyring.js';

/** How an address is compared: Unicode-normalised, trimmed, lower-cased. */
export const normaliseEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

/** The blind index of an address (32 bytes). */
export const emailIndex = (email: string): Buffer =>
  createHmac('sha256', keyring().blindIndexKey).update('email\0').update(normaliseEmail(email)).digest();

/** A short name for an address in keys that leave the database (rate-limit buckets, advisory locks). */
export const emailKey = (email: string): string => emailIndex(email).toString('base64url').slice(0, 22);

/**
 * A keyed digest of values that may hold an identifier (an idempotent request's input, say), so
 * what is stored cannot be tested against guesses without the key. `purpose` separates uses.
 */
export const keyedDigest = (purpose: string, ...parts: string[]): Buffer => {
  const hmac = createHmac('sha256', keyring().blindIndexKey).update(purpose);
  for (const part of parts) hmac.update('\0').update(part);
  return hmac.digest();
};
