import { Migration } from '@mikro-orm/migrations';

/** The initial model: catalogue, people, groups and sessions, seats, signatures, audit trail. */
export class InitialSchema extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "agreement_kind" as enum ('CONFIDENTIALITY');`);
    this.addSql(`create type "program_status" as enum ('DRAFT', 'PUBLISHED', 'ARCHIVED');`);
    this.addSql(`create type "signature_channel" as enum ('MEMBER', 'PARTNER');`);
    this.addSql(`create type "group_type" as enum ('CLOSED', 'OPEN');`);
    this.addSql(`create type "group_format" as enum ('ONLINE', 'IN_PERSON');`);
    this.addSql(`create type "weekday" as enum ('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY');`);
    this.addSql(`create type "group_status" as enum ('DRAFT', 'OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "session_status" as enum ('SCHEDULED', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "reservation_status" as enum ('HELD', 'CONFIRMED', 'WAITLISTED', 'CANCELLED', 'EXPIRED', 'REMOVED');`);
    this.addSql(`create type "attendance_status" as enum ('PRESENT', 'LATE', 'ABSENT', 'EXCUSED');`);
    this.addSql(`create type "account_role" as enum ('ADMIN', 'THERAPIST', 'MEMBER');`);
    this.addSql(
      `create table "agreement" ("id" uuid not null, "kind" "agreement_kind" not null, "title" text not null, "created_at" timestamptz not null default now(), constraint "agreement_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "agreement_version" ("id" uuid not null, "agreement_id" uuid not null, "version" int not null, "body_markdown" text not null, "requires_resign" boolean not null, "published_at" timestamptz not null default now(), constraint "agreement_version_pkey" primary key ("id"), constraint agreement_version_number_check check (version >= 1));`,
    );
    this.addSql(`alter table "agreement_version" add constraint "agreement_version_number_key" unique ("agreement_id", "version");`);

    this.addSql(
      `create table "identifier_audit" ("id" bigserial primary key, "read_at" timestamptz not null default now(), "actor_kind" text not null, "actor_account_id" uuid null, "actor_partner_id" uuid null, "member_id" uuid not null, "fields" text[] not null, "operation_name" text null, "request_id" text not null);`,
    );
    this.addSql(`create index "identifier_audit_member_idx" on "identifier_audit" ("member_id", "read_at");`);

    this.addSql(
      `create table "partner" ("id" uuid not null, "name" text not null, "created_at" timestamptz not null default now(), constraint "partner_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "partner_api_key" ("id" uuid not null, "partner_id" uuid not null, "label" text not null, "prefix" text not null, "secret_hash" text not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "partner_api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "partner_api_key_partner_id_index" on "partner_api_key" ("partner_id");`);
    this.addSql(`alter table "partner_api_key" add constraint "partner_api_key_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(
      `create table "member" ("id" uuid not null, "display_name" text not null, "pronouns" text null, "time_zone" text not null, "partner_id" uuid null, "created_at" timestamptz not null default now(), constraint "member_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "member_partner_id_index" on "member" ("partner_id");`);

    this.addSql(
      `create table "member_identity" ("member_id" uuid not null, "legal_name" text not null, "email" text not null, "phone" text null, "date_of_birth" date null, "emergency_contact_name" text null, "emergency_contact_phone" text null, "emergency_contact_relationship" text null, constraint "member_identity_pkey" primary key ("member_id"));`,
    );

    this.addSql(
      `create table "program" ("id" uuid not null, "title" text not null, "summary" text not null, "description" text not null default '', "focus_areas" text[] not null default '{}', "session_count" int not null, "session_length_minutes" int not null, "required_agreement_id" uuid null, "status" "program_status" not null default 'DRAFT', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "published_at" timestamptz null, "archived_at" timestamptz null, constraint "program_pkey" primary key ("id"), constraint program_session_length_check check (session_length_minutes between 15 and 480), constraint program_session_count_check check (session_count between 1 and 104));`,
    );

    this.addSql(
      `create table "program_module" ("id" uuid not null, "program_id" uuid not null, "position" int not null, "title" text not null, "guidance" text not null default '', "homework_prompt" text not null default '', constraint "program_module_pkey" primary key ("id"), constraint program_module_position_check check (position >= 1));`,
    );
    this.addSql(`alter table "program_module" add constraint "program_module_position_key" unique ("program_id", "position");`);

    this.addSql(
      `create table "signature" ("id" uuid not null, "member_id" uuid not null, "agreement_version_id" uuid not null, "typed_name" text not null, "channel" "signature_channel" not null, "partner_id" uuid null, "signed_at" timestamptz not null default now(), constraint "signature_pkey" primary key ("id"), constraint signature_partner_channel_check check ((channel = 'PARTNER') = (partner_id is not null)));`,
    );
    this.addSql(`create index "signature_member_id_index" on "signature" ("member_id");`);
    this.addSql(`alter table "signature" add constraint "signature_member_version_key" unique ("member_id", "agreement_version_id");`);

    this.addSql(
      `create table "therapist" ("id" uuid not null, "display_name" text not null, "credentials" text not null, "bio" text not null default '', "time_zone" text not null, "created_at" timestamptz not null default now(), constraint "therapist_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "program_author" ("program_id" uuid not null, "therapist_id" uuid not null, constraint "program_author_pkey" primary key ("program_id", "therapist_id"));`,
    );

    this.addSql(
      `create table "therapy_group" ("id" uuid not null, "program_id" uuid not null, "title" text not null, "lead_therapist_id" uuid not null, "capacity" int not null, "type" "group_type" not null, "format" "group_format" not null, "location" text null, "time_zone" text not null, "starts_on" date not null, "weekday" "weekday" not null, "start_time" text not null, "duration_minutes" int not null, "session_count" int not null, "enrolment_deadline" timestamptz null, "cancellation_window_hours" int not null default 24, "hold_minutes" int not null default 30, "status" "group_status" not null default 'DRAFT', "cancellation_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "therapy_group_pkey" primary key ("id"), constraint therapy_group_cancellation_window_check check (cancellation_window_hours between 0 and 720), constraint therapy_group_hold_check check (hold_minutes between 1 and 10080), constraint therapy_group_location_check check ((format = 'IN_PERSON') = (location is not null)), constraint therapy_group_session_count_check check (session_count between 1 and 104), constraint therapy_group_duration_check check (duration_minutes between 15 and 480), constraint therapy_group_capacity_check check (capacity between 1 and 500));`,
    );
    this.addSql(`create index "therapy_group_program_id_index" on "therapy_group" ("program_id");`);
    this.addSql(`create index "therapy_group_lead_therapist_id_index" on "therapy_group" ("lead_therapist_id");`);
    this.addSql(`create index "therapy_group_status_idx" on "therapy_group" ("status");`);

    this.addSql(
      `create table "group_session" ("id" uuid not null, "group_id" uuid not null, "position" int not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "module_id" uuid null, "status" "session_status" not null default 'SCHEDULED', constraint "group_session_pkey" primary key ("id"), constraint group_session_time_check check (ends_at > starts_at));`,
    );
    this.addSql(`create index "group_session_group_starts_idx" on "group_session" ("group_id", "starts_at");`);
    this.addSql(`alter table "group_session" add constraint "group_session_position_key" unique ("group_id", "position");`);

    this.addSql(
      `create table "reservation" ("id" uuid not null, "group_id" uuid not null, "member_id" uuid not null, "status" "reservation_status" not null, "waitlist_seq" bigint null, "expires_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "ended_at" timestamptz null, "ended_by" text null, "cancelled_late" boolean null, "removal_reason" text null, constraint "reservation_pkey" primary key ("id"), constraint reservation_hold_expiry_check check (status <> 'HELD' or expires_at is not null), constraint reservation_waitlist_seq_check check (status <> 'WAITLISTED' or waitlist_seq is not null));`,
    );
    this.addSql(`create index "reservation_member_idx" on "reservation" ("member_id");`);
    this.addSql(`create index "reservation_group_status_idx" on "reservation" ("group_id", "status");`);

    this.addSql(
      `create table "group_co_therapist" ("group_id" uuid not null, "therapist_id" uuid not null, constraint "group_co_therapist_pkey" primary key ("group_id", "therapist_id"));`,
    );

    this.addSql(
      `create table "attendance" ("session_id" uuid not null, "member_id" uuid not null, "status" "attendance_status" not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null default now(), constraint "attendance_pkey" primary key ("session_id", "member_id"));`,
    );

    this.addSql(
      `create table "account" ("id" uuid not null, "email" text not null, "password_hash" text not null, "role" "account_role" not null, "therapist_id" uuid null, "member_id" uuid null, "created_at" timestamptz not null default now(), "disabled_at" timestamptz null, constraint "account_pkey" primary key ("id"), constraint account_role_link_check check ((role = 'ADMIN' and therapist_id is null and member_id is null) or (role = 'THERAPIST' and therapist_id is not null and member_id is null) or (role = 'MEMBER' and member_id is not null and therapist_id is null)));`,
    );
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email");`);
    this.addSql(`alter table "account" add constraint "account_therapist_id_unique" unique ("therapist_id");`);
    this.addSql(`alter table "account" add constraint "account_member_id_unique" unique ("member_id");`);

    this.addSql(
      `create table "auth_session" ("id" uuid not null, "account_id" uuid not null, "token_hash" text not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "auth_session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_session_account_id_index" on "auth_session" ("account_id");`);
    this.addSql(`alter table "auth_session" add constraint "auth_session_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `alter table "agreement_version" add constraint "agreement_version_agreement_id_foreign" foreign key ("agreement_id") references "agreement" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "partner_api_key" add constraint "partner_api_key_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "member" add constraint "member_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "member_identity" add constraint "member_identity_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "program" add constraint "program_required_agreement_id_foreign" foreign key ("required_agreement_id") references "agreement" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "program_module" add constraint "program_module_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "signature" add constraint "signature_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "signature" add constraint "signature_agreement_version_id_foreign" foreign key ("agreement_version_id") references "agreement_version" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "signature" add constraint "signature_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "program_author" add constraint "program_author_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "program_author" add constraint "program_author_therapist_id_foreign" foreign key ("therapist_id") references "therapist" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "therapy_group" add constraint "therapy_group_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "therapy_group" add constraint "therapy_group_lead_therapist_id_foreign" foreign key ("lead_therapist_id") references "therapist" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "group_session" add constraint "group_session_group_id_foreign" foreign key ("group_id") references "therapy_group" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_session" add constraint "group_session_module_id_foreign" foreign key ("module_id") references "program_module" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "reservation" add constraint "reservation_group_id_foreign" foreign key ("group_id") references "therapy_group" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "reservation" add constraint "reservation_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "group_co_therapist" add constraint "group_co_therapist_group_id_foreign" foreign key ("group_id") references "therapy_group" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "group_co_therapist" add constraint "group_co_therapist_therapist_id_foreign" foreign key ("therapist_id") references "therapist" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "attendance" add constraint "attendance_session_id_foreign" foreign key ("session_id") references "group_session" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "attendance" add constraint "attendance_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "attendance" add constraint "attendance_recorded_by_id_foreign" foreign key ("recorded_by_id") references "therapist" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "account" add constraint "account_therapist_id_foreign" foreign key ("therapist_id") references "therapist" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "account" add constraint "account_member_id_foreign" foreign key ("member_id") references "member" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "auth_session" add constraint "auth_session_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;`,
    );
    // One active (HELD, CONFIRMED, WAITLISTED) reservation per member and group — DESIGN seat rule 2.
    this.addSql(
      `create unique index "reservation_one_active_key" on "reservation" ("group_id", "member_id") where status in ('HELD', 'CONFIRMED', 'WAITLISTED');`,
    );
    // The waitlist is served in the order the database accepted requests: a sequence, not a clock.
    this.addSql(`create sequence "reservation_waitlist_seq";`);
    this.addSql(`create index "reservation_waitlist_idx" on "reservation" ("group_id", "waitlist_seq") where status = 'WAITLISTED';`);
    this.addSql(`create index "group_co_therapist_therapist_idx" on "group_co_therapist" ("therapist_id");`);
    this.addSql(`create index "attendance_member_idx" on "attendance" ("member_id");`);
    this.addSql(`alter table "account" add constraint "account_email_lower_check" check (email = lower(email));`);
    // The identifier audit trail is append-only whoever connects.
    this.addSql(
      `create function "identifier_audit_append_only"() returns trigger language plpgsql as $$ begin raise exception 'identifier_audit is append-only'; end $$;`,
    );
    this.addSql(
      `create trigger "identifier_audit_no_update" before update or delete on "identifier_audit" for each row execute function "identifier_audit_append_only"();`,
    );
    this.addSql(
      `create trigger "identifier_audit_no_truncate" before truncate on "identifier_audit" for each statement execute function "identifier_audit_append_only"();`,
    );
  }
}
