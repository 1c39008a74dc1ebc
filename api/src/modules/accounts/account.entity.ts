import { Check, Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { MemberEntity } from '../members/index.js';
import type { TherapistEntity } from '../therapists/index.js';

export enum AccountRole {
  ADMIN = 'ADMIN',
  THERAPIST = 'THERAPIST',
  MEMBER = 'MEMBER',
}

/** A person who signs in with email and password. Partners use API keys instead. */
@Entity({ tableName: 'account' })
@Check({
  name: 'account_role_link_check',
  expression:
    "(role = 'ADMIN' and therapist_id is null and member_id is null) or (role = 'THERAPIST' and therapist_id is not null and member_id is null) or (role = 'MEMBER' and member_id is not null and therapist_id is null)",
})
export class AccountEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  /** Sign-in address, stored lower-cased. For a member account it is one of their identifiers. */
  @Property({ type: 'text', unique: true }) email!: string;
  @Property({ type: 'text' }) passwordHash!: string;
  @Enum({ items: () => AccountRole, nativeEnumName: 'account_role' }) role!: AccountRole;
  @OneToOne('TherapistEntity', { ref: true, nullable: true, unique: true }) therapist?: Ref<Rel<TherapistEntity>> | null;
  @OneToOne('MemberEntity', { ref: true, nullable: true, unique: true }) member?: Ref<Rel<MemberEntity>> | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', nullable: true }) disabledAt?: Date | null;
}

/** A signed-in session. Only the SHA-256 of the bearer token is stored. */
@Entity({ tableName: 'auth_session' })
export class AuthSessionEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Index() @ManyToOne(() => AccountEntity, { ref: true, deleteRule: 'cascade' }) account!: Ref<AccountEntity>;
  @Property({ type: 'text', unique: true }) tokenHash!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) revokedAt?: Date | null;
}
