/**
 * Credentials stored exactly as Kindred stores them (api/src/modules/accounts/credentials.ts):
 * argon2id with OWASP's minimum parameters for passwords, SHA-256 hex for API key secrets.
 * The only difference: salts come from the seeded generator, so the hashes are reproducible too.
 */
import { createHash } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { Rng } from './random.js';

/** `Algorithm.Argon2id` is a const enum (2) that swc cannot inline from a .d.ts. */
const ARGON2ID = 2;
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** One password per kind of account: hashed once, the hash shared by every account of that kind. */
export const PASSWORDS = {
  admin: 'bench-admin-password',
  therapist: 'bench-therapist-password',
  member: 'bench-member-password',
} as const;

export type PasswordKind = keyof typeof PASSWORDS;

export async function hashPasswords(seed: string): Promise<Record<PasswordKind, string>> {
  const kinds = Object.keys(PASSWORDS) as PasswordKind[];
  const hashes = await Promise.all(
    kinds.map((kind) => hash(PASSWORDS[kind], { ...ARGON2_OPTIONS, salt: new Rng(`${seed}:salt:${kind}`).bytes(16) } as never)),
  );
  return Object.fromEntries(kinds.map((kind, i) => [kind, hashes[i]!])) as Record<PasswordKind, string>;
}

export const secretHash = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
