import { Migration } from '@mikro-orm/migrations';

/**
 * `auth_session.last_used_at`: when a session last made a request (refreshed at most every five
 * minutes, in the statement that looks the session up), so its owner can tell a session in use
 * from a forgotten or stolen one in `viewer { signInSessions }`.
 */
export class SessionLastUsed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "auth_session" add column "last_used_at" timestamptz null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "auth_session" drop column "last_used_at"`);
  }
}
