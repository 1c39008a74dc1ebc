/**
 * Opens what Kindred stored sealed (docs/encryption.md), with this run's keys, so a test can check
 * the stored value itself — read straight from the database, not through the API.
 */
import { unwrapRow } from '../../src/crypto/data-keys.js';
import { open, openOptional } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import type { TestDatabase } from './test-database.js';

type Row = Record<string, Buffer | string | null>;

async function keyed(db: TestDatabase, statement: string, id: string): Promise<{ row: Row; key: Buffer }> {
  const [row] = await db.query<Row>(statement, [id]);
  if (!row) throw new Error(`nothing stored for ${id}`);
  const key = unwrapRow(row as never);
  if (!key) throw new Error(`no data key for ${id}`);
  return { row, key };
}

/** A member's stored identifiers, opened (column names as stored). */
export async function storedIdentity(db: TestDatabase, memberId: string) {
  const { row, key } = await keyed(
    db,
    `select i.*, k.id as key_id, k.wrapped, k.kek_id from member_identity i join member m on m.id = i.member_id
       left join data_key k on k.id = m.data_key_id where i.member_id = $1`,
    memberId,
  );
  const place = sealedPlaces.member(memberId);
  return {
    legal_name: open(key, row.legal_name as Buffer, place.legalName),
    email: open(key, row.email as Buffer, place.email),
    phone: openOptional(key, row.phone as Buffer | null, place.phone),
    date_of_birth: openOptional(key, row.date_of_birth as Buffer | null, place.dateOfBirth),
  };
}

/** A signature's stored typed name, opened. */
export async function storedTypedName(db: TestDatabase, signatureId: string): Promise<string> {
  const { row, key } = await keyed(
    db,
    `select s.typed_name, k.id as key_id, k.wrapped, k.kek_id from signature s join member m on m.id = s.member_id
       left join data_key k on k.id = m.data_key_id where s.id = $1`,
    signatureId,
  );
  return open(key, row.typed_name as Buffer, sealedPlaces.signature(signatureId));
}
