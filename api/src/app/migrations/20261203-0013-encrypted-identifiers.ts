import { Migration } from '@mikro-orm/migrations';
import { emailIndex } from '@kindred/crypto';
import { newDataKey, seal, sealOptional } from '@kindred/crypto';
import { newId } from '../../db/ids.js';
import { sealedPlaces } from '@kindred/crypto';

/**
 * Personal data encrypted at rest (docs/encryption.md):
 * - `data_key`: one AES-256 key per member and per account, stored only wrapped by the KEK;
 *   `member.data_key_id` and `account.data_key_id` name it (`on delete set null`: deleting the key
 *   erases what it sealed — `member.erased_at` records when);
 * - a member's identifiers (`member_identity`), a signature's typed name, an account's sign-in
 *   address and TOTP secrets become `bytea` values sealed with that key; a link that carries an
 *   address seals it with a key of its own (`account_token.data_key_id`);
 * - addresses are found by blind index (`member_identity.email_index`, `account.email_index`,
 *   `account_token.email_index`): `account_email_active_key` keeps it unique among activated accounts.
 * Rows already stored are sealed here, with the keys of the environment (KINDRED_KEK).
 */
export class EncryptedIdentifiers extends Migration {
  override async up(): Promise<void> {
    await this.run(`create table "data_key" (
      "id" uuid primary key, "wrapped" bytea not null, "kek_id" text not null, "created_at" timestamptz not null default now())`);
    await this.run(`create index "data_key_kek_id_index" on "data_key" ("kek_id")`);
    await this.run(`alter table "member" add column "data_key_id" uuid null references "data_key" ("id") on delete set null,
                     add column "erased_at" timestamptz null`);
    await this.run(`create index "member_data_key_id_index" on "member" ("data_key_id")`);
    await this.run(`alter table "account" add column "data_key_id" uuid null references "data_key" ("id") on delete set null,
                     add column "email_index" bytea null`);
    await this.run(`create index "account_data_key_id_index" on "account" ("data_key_id")`);

    // The clear columns move aside while their sealed replacements are filled, then go.
    const identity = [
      'legal_name',
      'email',
      'phone',
      'date_of_birth',
      'emergency_contact_name',
      'emergency_contact_phone',
      'emergency_contact_relationship',
    ];
    for (const column of identity) await this.run(`alter table "member_identity" rename column "${column}" to "${column}_clear"`);
    await this.run(
      `alter table "member_identity" ${identity.map((c) => `add column "${c}" bytea null`).join(', ')}, add column "email_index" bytea null`,
    );
    await this.run(`alter table "signature" rename column "typed_name" to "typed_name_clear"`);
    await this.run(`alter table "signature" add column "typed_name" bytea null`);
    await this.run(`alter table "account" drop constraint "account_email_lower_check"`);
    await this.run(`drop index "account_email_active_key"`);
    await this.run(`drop index "account_email_index"`);
    for (const column of ['email', 'totp_secret', 'totp_pending_secret']) {
      await this.run(`alter table "account" rename column "${column}" to "${column}_clear"`);
      await this.run(`alter table "account" add column "${column}" bytea null`);
    }
    await this.run(`alter table "account_token" rename column "email" to "email_clear"`);
    await this.run(`alter table "account_token" add column "email" bytea null, add column "email_index" bytea null,
                     add column "data_key_id" uuid null references "data_key" ("id") on delete set null`);
    await this.run(`create index "account_token_data_key_id_index" on "account_token" ("data_key_id")`);

    await this.sealMembers();
    await this.sealAccounts();

    for (const column of identity) await this.run(`alter table "member_identity" drop column "${column}_clear"`);
    await this.run(`alter table "member_identity" alter column "legal_name" set not null, alter column "email" set not null`);
    await this.run(`create index "member_identity_email_index_index" on "member_identity" ("email_index")`);
    await this.run(`alter table "signature" drop column "typed_name_clear"`);
    await this.run(`alter table "signature" alter column "typed_name" set not null`);
    await this.run(
      `alter table "account" drop column "email_clear", drop column "totp_secret_clear", drop column "totp_pending_secret_clear"`,
    );
    await this.run(`alter table "account" alter column "email" set not null, alter column "email_index" set not null`);
    await this.run(`create unique index "account_email_active_key" on "account" ("email_index") where "activated_at" is not null`);
    await this.run(`create index "account_email_index" on "account" ("email_index")`);
    await this.run(`alter table "account_token" drop column "email_clear"`);
    // A row that goes takes its key with it (a link pruned by retention, say): no key outlives what it sealed.
    await this.run(`create function "drop_data_key"() returns trigger language plpgsql as $$
      begin delete from "data_key" where "id" = old."data_key_id"; return null; end $$`);
    for (const table of ['member', 'account', 'account_token']) {
      await this.run(`create trigger "${table}_drops_data_key" after delete on "${table}" for each row
        when (old."data_key_id" is not null) execute function "drop_data_key"()`);
    }
  }

  override async down(): Promise<void> {
    throw new Error('Irreversible: the clear values are not kept. Restore a backup taken before this migration instead.');
  }

  private async run(statement: string, params: unknown[] = []) {
    return this.execute(statement, params) as Promise<Record<string, unknown>[]>;
  }

  /** Stores a new data key and returns it. */
  private async storeKey(): Promise<{ id: string; key: Buffer }> {
    const { key, stored } = newDataKey(newId());
    await this.run(`insert into "data_key" ("id", "wrapped", "kek_id") values (?, decode(?, 'base64'), ?)`, [
      stored.id,
      stored.wrapped.toString('base64'),
      stored.kekId,
    ]);
    return { id: stored.id, key };
  }

  private async sealMembers() {
    const b64 = (value: Buffer | null) => value?.toString('base64') ?? null;
    const members = await this.run(`select m.id, i.legal_name_clear, i.email_clear, i.phone_clear, i.date_of_birth_clear::text,
        i.emergency_contact_name_clear, i.emergency_contact_phone_clear, i.emergency_contact_relationship_clear
        from "member" m left join "member_identity" i on i.member_id = m.id`);
    for (const m of members as Record<string, string | null>[]) {
      const id = m.id!;
      const { id: keyId, key } = await this.storeKey();
      await this.run(`update "member" set "data_key_id" = ? where "id" = ?`, [keyId, id]);
      if (m.legal_name_clear == null) continue;
      const place = sealedPlaces.member(id);
      await this.run(
        `update "member_identity" set "legal_name" = decode(?, 'base64'), "email" = decode(?, 'base64'), "phone" = decode(?, 'base64'),
           "date_of_birth" = decode(?, 'base64'), "emergency_contact_name" = decode(?, 'base64'), "emergency_contact_phone" = decode(?, 'base64'),
           "emergency_contact_relationship" = decode(?, 'base64'), "email_index" = decode(?, 'base64') where "member_id" = ?`,
        [
          b64(seal(key, m.legal_name_clear, place.legalName)),
          b64(seal(key, m.email_clear!, place.email)),
          b64(sealOptional(key, m.phone_clear, place.phone)),
          b64(sealOptional(key, m.date_of_birth_clear, place.dateOfBirth)),
          b64(sealOptional(key, m.emergency_contact_name_clear, place.emergencyContactName)),
          b64(sealOptional(key, m.emergency_contact_phone_clear, place.emergencyContactPhone)),
          b64(sealOptional(key, m.emergency_contact_relationship_clear, place.emergencyContactRelationship)),
          b64(emailIndex(m.email_clear!)),
          id,
        ],
      );
      const signatures = await this.run(`select "id", "typed_name_clear" from "signature" where "member_id" = ?`, [id]);
      for (const s of signatures as { id: string; typed_name_clear: string }[]) {
        await this.run(`update "signature" set "typed_name" = decode(?, 'base64') where "id" = ?`, [
          b64(seal(key, s.typed_name_clear, sealedPlaces.signature(s.id))),
          s.id,
        ]);
      }
    }
  }

  private async sealAccounts() {
    const b64 = (value: Buffer | null) => value?.toString('base64') ?? null;
    const accounts = await this.run(`select "id", "email_clear", "totp_secret_clear", "totp_pending_secret_clear" from "account"`);
    for (const a of accounts as Record<string, string | null>[]) {
      const id = a.id!;
      const { id: keyId, key } = await this.storeKey();
      const place = sealedPlaces.account(id);
      await this.run(
        `update "account" set "data_key_id" = ?, "email" = decode(?, 'base64'), "email_index" = decode(?, 'base64'),
           "totp_secret" = decode(?, 'base64'), "totp_pending_secret" = decode(?, 'base64') where "id" = ?`,
        [
          keyId,
          b64(seal(key, a.email_clear!, place.email)),
          b64(emailIndex(a.email_clear!)),
          b64(sealOptional(key, a.totp_secret_clear, place.totpSecret)),
          b64(sealOptional(key, a.totp_pending_secret_clear, place.totpPendingSecret)),
          id,
        ],
      );
    }
    // A link that carries an address (a new sign-in address, a member's sign-in request) seals it with a key of its own.
    const tokens = await this.run(`select "id", "email_clear" from "account_token" where "email_clear" is not null`);
    for (const t of tokens as { id: string; email_clear: string }[]) {
      const { id: keyId, key } = await this.storeKey();
      await this.run(
        `update "account_token" set "data_key_id" = ?, "email" = decode(?, 'base64'), "email_index" = decode(?, 'base64') where "id" = ?`,
        [keyId, b64(seal(key, t.email_clear, sealedPlaces.token(t.id))), b64(emailIndex(t.email_clear)), t.id],
      );
    }
  }
}
