/**
 * What `Member.identifierReads` should answer, built by hand from the `identifier_audit` rows in
 * SQL (never from the API): newest first, fields sorted, a therapist reader by the display name
 * of its account written by the test.
 */
import type { TestApp } from './test-app.js';
import type { World } from './world.js';

export interface IdentifierRead {
  readAt: string;
  readerKind: string;
  readerDisplayName: string | null;
  fields: string[];
  operationName: string | null;
}

/** The world's therapists by their accounts' ids: the names `readerDisplayName` should show. */
export async function therapistAccountNames(app: TestApp, world: World): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const { lead, co, other } = world.therapists;
  for (const [therapist, name] of [
    [lead, 'Lead Therapist'],
    [co, 'Co Therapist'],
    [other, 'Other Therapist'],
  ] as const) {
    const [account] = await app.db.query<{ id: string }>('select id from account where therapist_id = $1', [therapist.id]);
    names.set(account!.id, name);
  }
  return names;
}

/** The audited reads of a member's identifiers as the member should see them, newest first. */
export async function auditedReadsOf(app: TestApp, memberId: string, therapistNames: Map<string, string>): Promise<IdentifierRead[]> {
  const rows = await app.db.query<{
    read_at: Date;
    actor_kind: string;
    actor_account_id: string | null;
    fields: string[];
    operation_name: string | null;
  }>('select read_at, actor_kind, actor_account_id, fields, operation_name from identifier_audit where member_id = $1 order by id desc', [
    memberId,
  ]);
  return rows.map((row) => ({
    readAt: row.read_at.toISOString(),
    readerKind: row.actor_kind,
    readerDisplayName: row.actor_kind === 'THERAPIST' ? (therapistNames.get(row.actor_account_id!) ?? null) : null,
    fields: [...row.fields].sort(),
    operationName: row.operation_name,
  }));
}
