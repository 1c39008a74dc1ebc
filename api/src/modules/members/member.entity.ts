import { Entity, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
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
}

/** A member's personal identifiers, kept apart from everything else about them. */
@Entity({ tableName: 'member_identity' })
export class MemberIdentityEntity {
  @OneToOne(() => MemberEntity, { primary: true, ref: true, deleteRule: 'cascade', fieldName: 'member_id' })
  member!: Ref<Rel<MemberEntity>>;
  @Property({ type: 'text' }) legalName!: string;
  @Property({ type: 'text' }) email!: string;
  @Property({ type: 'text', nullable: true }) phone?: string | null;
  @Property({ type: 'date', nullable: true }) dateOfBirth?: string | null;
  @Property({ type: 'text', nullable: true }) emergencyContactName?: string | null;
  @Property({ type: 'text', nullable: true }) emergencyContactPhone?: string | null;
  @Property({ type: 'text', nullable: true }) emergencyContactRelationship?: string | null;
}
