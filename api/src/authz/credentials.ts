import { createHash, randomBytes } from 'node:crypto';
import { hash, type Options, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1).
 * `Algorithm.Argon2id` is a const enum (2) that swc cannot inline from a .d.ts.
 */
const ARGON2_OPTIONS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

/** A hash of a random password, verified against when the email is unknown so timing does not tell. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await decoyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Bearer tokens carry a prefix telling what they are: `kss_` session, `kpk_` partner API key. */
export const SESSION_PREFIX = 'kss_';
export const API_KEY_PREFIX = 'kpk_';

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** High-entropy secrets are stored as SHA-256 (a slow hash buys nothing for 256 random bits). */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
