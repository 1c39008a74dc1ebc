import { expect } from 'vitest';

/** A top-level GraphQL error with `code` at `path`, as a whole-object expectation. */
export const topLevelError = (code: string, path: (string | number)[]) => ({
  message: expect.any(String),
  locations: expect.any(Array),
  path,
  extensions: { code },
});

/** The row UUID inside a global ID (tests look rows up in SQL). */
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]!;
