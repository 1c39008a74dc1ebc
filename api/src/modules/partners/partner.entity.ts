import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';

/** An organisation (clinic, employee-assistance programme, member app) that calls the API with keys. */
@Entity({ tableName: 'partner' })
export class PartnerEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
}

/** A partner's API key. Only the SHA-256 of the secret is stored; the secret is shown once at creation. */
@Entity({ tableName: 'partner_api_key' })
export class PartnerApiKeyEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Index() @ManyToOne(() => PartnerEntity, { ref: true, deleteRule: 'cascade' }) partner!: Ref<PartnerEntity>;
  @Property({ type: 'text' }) label!: string;
  /** First characters of the key, shown to admins so they can tell keys apart. */
  @Property({ type: 'text' }) prefix!: string;
  @Property({ type: 'text', unique: true }) secretHash!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', nullable: true }) revokedAt?: Date | null;
  @Property({ type: 'timestamptz', nullable: true }) lastUsedAt?: Date | null;
}
