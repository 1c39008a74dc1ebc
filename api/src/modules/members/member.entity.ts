import { Entity, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { DataKeyEntity } from '../../crypto/data-key.entity.js';
import { newId } from '../../db/ids.js';
import type { AccountEntity } from '../accounts/index.js';
import type { PartnerEntity } from '../partners/index.js';

/**
 * A person in groups, as the group knows them: a display name they chose. The personal
 * identifiers live in `member_identity`, read only through the field policy.
 */
@Entity({ tableName: 'member' })
export class MemberEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Property({ type: 'text' }) displayName!: string;
  @Property({ type: 'text', nullable: true }) pronouns?: string | null;
  @Property({ type: 'text' }) timeZone!: string;
  @Index() @ManyToOne('PartnerEntity', { ref: true, nullable: true }) partner?: Ref<Rel<PartnerEntity>> | null;
  /** The person's own sign-in, once they made one (never by a partner or an admin). */
  @Index() @ManyToOne('AccountEntity', { ref: true, nullable: true, deleteRule: 'set null' }) account?: Ref<Rel<AccountEntity>> | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  /** The key its identifiers and signatures' typed names are sealed with; null once erased (docs/encryption.md). */
  @Index() @ManyToOne('DataKeyEntity', { ref: true, nullable: true, deleteRule: 'set null' }) dataKey?: Ref<DataKeyEntity> | null;
  /** When the member was erased: its data key destroyed, its display name replaced. */
  @Property({ type: 'timestamptz', nullable: true }) erasedAt?: Date | null;
}

/**
 * A member's personal identifiers, kept apart from everything else about them and sealed with the
 * member's data key (`sealedPlaces.member`); the address is found by its blind index.
 */
@Entity({ tableName: 'member_identity' })
export class MemberIdentityEntity {
  @OneToOne(() => MemberEntity, { primary: true, ref: true, deleteRule: 'cascade', fieldName: 'member_id' })
  member!: Ref<Rel<MemberEntity>>;
  @Property({ type: 'blob' }) legalName!: Buffer;
  @Property({ type: 'blob' }) email!: Buffer;
  /** HMAC of the normalised address (crypto/blind-index.ts); null once erased. */
  @Index() @Property({ type: 'blob', nullable: true }) emailIndex?: Buffer | null;
  @Property({ type: 'blob', nullable: true }) phone?: Buffer | null;
  @Property({ type: 'blob', nullable: true }) dateOfBirth?: Buffer | null;
  @Property({ type: 'blob', nullable: true }) emergencyContactName?: Buffer | null;
  @Property({ type: 'blob', nullable: true }) emergencyContactPhone?: Buffer | null;
  @Property({ type: 'blob', nullable: true }) emergencyContactRelationship?: Buffer | null;
}
