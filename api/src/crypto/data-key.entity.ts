import { Entity, type Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../db/ids.js';

/**
 * One member's or one account's data key, wrapped by the key-encryption key (envelope.ts).
 * Deleting the row erases, beyond recovery, everything sealed with the key (crypto-shredding).
 */
@Entity({ tableName: 'data_key' })
export class DataKeyEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  /** The data key, AES-256-GCM-encrypted under the KEK named by `kekId`. */
  @Property({ type: 'blob' }) wrapped!: Buffer;
  /** Fingerprint of the KEK that wrapped it (keyring.ts). */
  @Property({ type: 'text' }) kekId!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
}
