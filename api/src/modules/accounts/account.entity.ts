import { Check, Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, type Rel } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import type { DataKeyEntity } from '../../crypto/data-key.entity.js';
import { newId } from '../../db/ids.js';
import type { TherapistEntity } from '../therapists/index.js';

export enum AccountRole {
  ADMIN = 'ADMIN',
  THERAPIST = 'THERAPIST',
  MEMBER = 'MEMBER',
}

/**
 * A person who signs in with email and password. Partners use API keys instead. Only its owner
 * ever sets its password (docs/personal-identifiers.md, "Trust model"): an account is created
 * without one (invited, or registered and waiting for its address to be confirmed) and becomes
 * usable once activated. Staff accounts also need a second admin's approval. A member account
 * serves the member records that name it (`member.account_id`).
 */
@Entity({ tableName: 'account' })
@Check({ name: 'account_role_link_check', expression: "(role = 'THERAPIST') = (therapist_id is not null)" })
export class AccountEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  /**
   * Sign-in address, sealed with the account's data key (account-crypto.ts). For a member account
   * it is one of their identifiers.
   */
  @Property({ type: 'blob' }) email!: Buffer;
  /** The address's blind index: how sign-in finds the account; unique among activated accounts (`account_email_active_key`). */
  @Index({ name: 'account_email_index' }) @Property({ type: 'blob' }) emailIndex!: Buffer;
  /** The key its address and second-factor secrets are sealed with; null once erased. */
  @ManyToOne('DataKeyEntity', { ref: true, nullable: true, deleteRule: 'set null' }) dataKey?: Ref<DataKeyEntity> | null;
  /** argon2id; null until the owner sets a password. */
  @Property({ type: 'text', nullable: true }) passwordHash?: string | null;
  @Enum({ items: () => AccountRole, nativeEnumName: 'account_role' }) role!: AccountRole;
  @OneToOne('TherapistEntity', { ref: true, nullable: true, unique: true }) therapist?: Ref<Rel<TherapistEntity>> | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  /** When the owner made the account usable; null while invited or unconfirmed. */
  @Property({ type: 'timestamptz', nullable: true }) activatedAt?: Date | null;
  /** The admin who invited this staff account. */
  @ManyToOne(() => AccountEntity, { ref: true, nullable: true, deleteRule: 'set null' }) invitedBy?: Ref<AccountEntity> | null;
  /** When a second admin approved this staff account (for the first admin: its creation by the operator). */
  @Property({ type: 'timestamptz', nullable: true }) approvedAt?: Date | null;
  @ManyToOne(() => AccountEntity, { ref: true, nullable: true, deleteRule: 'set null' }) approvedBy?: Ref<AccountEntity> | null;
  @Property({ type: 'timestamptz', nullable: true }) disabledAt?: Date | null;
  /** The TOTP authenticator's secret (base32), sealed, once its setup was confirmed with a code (second-factor.ts). */
  @Property({ type: 'blob', nullable: true }) totpSecret?: Buffer | null;
  /** A setup's secret, sealed, until its first code confirms it. */
  @Property({ type: 'blob', nullable: true }) totpPendingSecret?: Buffer | null;
  @Property({ type: 'timestamptz', nullable: true }) totpEnabledAt?: Date | null;
  /** The last 30-second step a code was accepted for: no code is accepted twice. */
  @Property({ type: 'bigint', nullable: true }) totpLastStep?: number | null;
}

/** A single-use recovery code of an account's second factor; only its SHA-256 is stored. */
@Entity({ tableName: 'account_recovery_code' })
export class RecoveryCodeEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @ManyToOne(() => AccountEntity, { ref: true, deleteRule: 'cascade' }) account!: Ref<AccountEntity>;
  @Property({ type: 'text', unique: true }) codeHash!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', nullable: true }) usedAt?: Date | null;
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
  /** The user agent it signed in from (at most 200 characters), so its owner can tell sessions apart. */
  @Property({ type: 'text', nullable: true }) client?: string | null;
  /** Whether the sign-in passed a second factor. */
  @Property({ type: 'boolean', default: false }) secondFactor: Opt<boolean> = false;
  /** When it last made a request (refreshed at most every five minutes). */
  @Property({ type: 'timestamptz', nullable: true }) lastUsedAt?: Date | null;
}

export enum AccountTokenPurpose {
  INVITATION = 'INVITATION',
  VERIFY_EMAIL = 'VERIFY_EMAIL',
  RESET_PASSWORD = 'RESET_PASSWORD',
  CHANGE_EMAIL = 'CHANGE_EMAIL',
  MEMBER_SIGN_IN = 'MEMBER_SIGN_IN',
}

/**
 * An emailed link: single-use, expiring. Its secret is made by the job that mails it, which
 * stores only the secret's SHA-256 (`tokenHash`); a retried job makes a new one.
 */
@Entity({ tableName: 'account_token' })
@Index({ name: 'account_token_account_idx', properties: ['account', 'purpose'] })
export class AccountTokenEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Property({ type: 'text' }) purpose!: AccountTokenPurpose;
  @ManyToOne(() => AccountEntity, { ref: true, nullable: true, deleteRule: 'cascade' }) account?: Ref<AccountEntity> | null;
  /**
   * Where the link goes when it is not the account's address (a new sign-in address, a member's
   * sign-in request): sealed with the token's own data key, found by its blind index.
   */
  @Property({ type: 'blob', nullable: true }) email?: Buffer | null;
  @Property({ type: 'blob', nullable: true }) emailIndex?: Buffer | null;
  @ManyToOne('DataKeyEntity', { ref: true, nullable: true, deleteRule: 'set null' }) dataKey?: Ref<DataKeyEntity> | null;
  @Property({ type: 'text', nullable: true, unique: true }) tokenHash?: string | null;
  @Property({ type: 'timestamptz' }) expiresAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) usedAt?: Date | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
}
