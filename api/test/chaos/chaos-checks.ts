/**
 * After the chaos: the committed state against the ledger of acknowledged operations
 * (docs/seat-rules.md, rule 8), read with SQL and through the public API only, so the checks hold
 * whatever the seat engine's implementation. Returns what is broken; empty when nothing is.
 */
import { parseGlobalId, toGlobalId } from '../../src/graphql/ids.js';
import type { ApiProcess } from '../support/api-processes.js';
import { type Ref, seatInvariantViolations } from '../support/seat-fixture.js';
import type { TestDatabase } from '../support/test-database.js';
import type { Ledger } from './chaos-clients.js';

interface Row {
  id: string;
  group_id: string;
  member_id: string;
  status: string;
}

const ACTIVE = new Set(['HELD', 'CONFIRMED', 'WAITLISTED']);
const idOf = (globalId: string) => parseGlobalId(globalId, 'Reservation');

export async function ledgerViolations(db: TestDatabase, api: ApiProcess, partnerKey: string, groups: Ref[], ledger: Ledger) {
  const problems: string[] = [];
  const rows = await db.query<Row>(`select id, group_id, member_id, status from reservation where group_id = any($1::uuid[])`, [
    groups.map((g) => g.id),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));

  // Every acknowledged reservation exists, for that member and group; every acknowledged
  // cancellation is cancelled.
  const answeredIds = new Set<string>();
  const last = new Map<string, Ledger['acknowledged'][number]>();
  for (const op of ledger.acknowledged) {
    const id = idOf(op.reservationId);
    const row = byId.get(id);
    last.set(`${op.memberId}/${op.groupId}`, op);
    if (op.kind === 'reserve') answeredIds.add(id);
    if (!row || row.member_id !== op.memberId || row.group_id !== op.groupId)
      problems.push(`lost acknowledged ${op.kind}: ${JSON.stringify(op)}`);
    else if (op.kind === 'cancel' && row.status !== 'CANCELLED')
      problems.push(`acknowledged cancellation not cancelled (${row.status}): ${JSON.stringify(op)}`);
  }
  // A pair whose last acknowledged operation was a reservation still holds it.
  for (const op of last.values()) {
    const row = byId.get(idOf(op.reservationId));
    if (op.kind === 'reserve' && row && !ACTIVE.has(row.status))
      problems.push(`acknowledged reservation ended (${row.status}): ${JSON.stringify(op)}`);
  }
  // No reservation nobody was answered: a retry with its key must have replayed, not reserved again.
  for (const row of rows)
    if (!answeredIds.has(row.id)) problems.push(`reservation no client was answered (a duplicate): ${JSON.stringify(row)}`);

  // No group oversold, no member twice, every seat rule (seats_taken, free seat while waiting…).
  problems.push(...(await seatInvariantViolations(db)));

  // The waitlist, as the API shows it to the partner that referred everyone: positions 1..n.
  for (const group of groups) {
    const waiting = rows.filter((r) => r.group_id === group.id && r.status === 'WAITLISTED');
    const positions: number[] = [];
    for (let i = 0; i < waiting.length; i += 100) {
      const answer = await api.gql(`query Waitlist($ids: [ID!]!) { nodes(ids: $ids) { ... on Reservation { status waitlistPosition } } }`, {
        variables: { ids: waiting.slice(i, i + 100).map((r) => toGlobalId('Reservation', r.id)) },
        token: partnerKey,
      });
      for (const node of answer.body?.data?.nodes ?? []) positions.push(node?.waitlistPosition ?? -1);
    }
    positions.sort((a, b) => a - b);
    const expected = waiting.map((_, i) => i + 1);
    if (JSON.stringify(positions) !== JSON.stringify(expected))
      problems.push(`waitlist of ${group.id} has positions ${positions.join(',')}`);
  }
  return problems;
}
