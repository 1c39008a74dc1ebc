import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Per-request SQL statement counter: every statement sent through MikroORM or the SQL gateway
 * (db/sql.ts) is counted in the caller's store; the server reports it as `x-sql-statements`
 * outside production, and tests assert it does not grow with page size.
 */
export const sqlStatements = new AsyncLocalStorage<{ count: number }>();

/** Counts one statement for the request in progress, if any. */
export function countStatement(): void {
  const store = sqlStatements.getStore();
  if (store) store.count++;
}
