/**
 * Seat rules applied from TypeScript. Everything else — placing, ending, hold expiry, promotion —
 * lives in the seat functions (migration 0018); this is the one step a TypeScript seat transaction
 * (signing an agreement) applies itself, under the locks `runSeatTransaction` took.
 */
import { sql, type SqlClient } from '../../db/sql.js';

/** After a signature: the member's live holds in groups whose agreement it now satisfies become CONFIRMED. */
export async function confirmSignedHolds(tx: SqlClient, memberId: string, groupIds: string[]): Promise<number> {
  if (groupIds.length === 0) return 0;
  const rows = await tx.query<{ id: string }>(sql`update reservation r set status = 'CONFIRMED', expires_at = null, updated_at = now()
       from therapy_group g join program p on p.id = g.program_id
      where g.id = r.group_id and r.member_id = ${memberId} and r.group_id = any(${groupIds}::uuid[]) and r.status = 'HELD' and r.expires_at > now()
        and member_has_signed(r.member_id, p.required_agreement_id)
     returning r.id`);
  return rows.length;
}
