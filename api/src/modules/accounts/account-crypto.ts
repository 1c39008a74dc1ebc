/**
 * An account's sealed fields (docs/encryption.md): its sign-in address and second-factor secrets
 * are sealed with the account's own data key; an emailed link that carries an address seals it
 * with a key of its own. Opened only in memory, when needed.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { emailIndex } from '@kindred/crypto';
import { createDataKey, unwrapRow } from '../../crypto/data-keys.js';
import { open, seal } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import { type SqlClient, sql, sqlOf } from '../../db/sql.js';
import type { AccountEntity } from './account.entity.js';

/** The blind index an address is found by (crypto/blind-index.ts). */
export type EmailIndex = Buffer;

/** A stored key, as SQL selects it (`key_id`, `wrapped`, `kek_id`). */
export interface KeyColumns {
  key_id: string | null;
  wrapped: Buffer | null;
  kek_id: string | null;
}

/** An account's sealed address with its key, as `ACCOUNT_EMAIL_ROW` selects it. */
export interface AccountEmailRow extends KeyColumns {
  id: string;
  email: Buffer;
}

/** Selects `AccountEmailRow`s: `from account a` joined to its key (for `openAccountEmail`). */
export const ACCOUNT_EMAIL_ROW = sql`a.id, a.email, k.id as key_id, k.wrapped, k.kek_id
  from account a left join data_key k on k.id = a.data_key_id`;

/** The address columns of a new account `id`, with its new data key in `em`'s unit of work. */
export function sealedAccountFields(em: EntityManager, id: string, email: string) {
  const { entity, key } = createDataKey(em);
  return { id, dataKey: entity, email: seal(key, email, sealedPlaces.account(id).email), emailIndex: emailIndex(email) };
}

/** The address of a new link `id`, sealed with the link's own new key. */
export function sealedTokenFields(em: EntityManager, id: string, email: string) {
  const { entity, key } = createDataKey(em);
  return { id, dataKey: entity, email: seal(key, email, sealedPlaces.token(id)), emailIndex: emailIndex(email) };
}

async function keyOf(db: SqlClient, table: 'account' | 'account_token', id: string): Promise<Buffer> {
  const [row] = await db.query<KeyColumns>(
    table === 'account'
      ? sql`select ${ACCOUNT_EMAIL_ROW} where a.id = ${id}`
      : sql`select k.id as key_id, k.wrapped, k.kek_id from account_token t left join data_key k on k.id = t.data_key_id where t.id = ${id}`,
  );
  const key = row ? unwrapRow(row) : null;
  if (!key) throw new Error(`${table} ${id} has no data key`);
  return key;
}

/** An account's address, opened. */
export async function accountEmail(em: EntityManager, account: AccountEntity): Promise<string> {
  return open(await keyOf(await sqlOf(em), 'account', account.id), account.email, sealedPlaces.account(account.id).email);
}

/** Opens an account's address from a row that selected it with its key; null once the key is gone. */
export function openAccountEmail(row: AccountEmailRow): string | null {
  const key = unwrapRow(row);
  return key ? open(key, row.email, sealedPlaces.account(row.id).email) : null;
}

/** Opens a link's own address from a row that selected it with the link's key. */
export function openTokenEmail(row: KeyColumns & { id: string; email: Buffer | null }): string | null {
  const key = unwrapRow(row);
  return key && row.email ? open(key, row.email, sealedPlaces.token(row.id)) : null;
}

/** A link's own address, opened (it must have one). */
export async function tokenEmail(em: EntityManager, token: { id: string; email?: Buffer | null }): Promise<string> {
  if (!token.email) throw new Error(`account_token ${token.id} carries no address`);
  return open(await keyOf(await sqlOf(em), 'account_token', token.id), token.email, sealedPlaces.token(token.id));
}

/** Gives an account a new sign-in address (sealed with its key). */
export async function setAccountEmail(em: EntityManager, account: AccountEntity, email: string): Promise<void> {
  account.email = seal(await keyOf(await sqlOf(em), 'account', account.id), email, sealedPlaces.account(account.id).email);
  account.emailIndex = emailIndex(email);
}

type TotpField = 'totpSecret' | 'totpPendingSecret';

/** A second-factor secret of an account, opened; null when there is none. */
export async function totpSecretOf(em: EntityManager, account: AccountEntity, field: TotpField): Promise<string | null> {
  const sealed = account[field];
  if (!sealed) return null;
  return open(await keyOf(await sqlOf(em), 'account', account.id), sealed, sealedPlaces.account(account.id)[field]);
}

/** Seals a second-factor secret into an account (null clears it). */
export async function setTotpSecret(em: EntityManager, account: AccountEntity, field: TotpField, secret: string | null): Promise<void> {
  account[field] =
    secret === null ? null : seal(await keyOf(await sqlOf(em), 'account', account.id), secret, sealedPlaces.account(account.id)[field]);
}
