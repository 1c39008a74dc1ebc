import type { AgreementCoverageQuery } from '@/gql/graphql';

/**
 * Signature coverage of one agreement, group by group: of a group's CONFIRMED seats, how many
 * belong to members who have signed the version in force (the latest version that requires
 * signing again — exactly what the API's `Reservation.needsSignature` answers).
 *
 * The API has no count for this, so it is derived: groups → confirmed reservations →
 * needsSignature, keeping only groups whose program requires this agreement.
 */
export type CoverageGroup = AgreementCoverageQuery['groups']['nodes'][number];

export interface SeatTally {
  signed: number;
  unsigned: number;
}

export interface CoverageRow {
  groupId: string;
  title: string;
  status: CoverageGroup['status'];
  programTitle: string;
  /** Confirmed seats in the group (the API's totalCount). */
  confirmed: number;
  signed: number;
  unsigned: number;
  /** Seats held for members who have not signed yet (they never count as signed). */
  held: number;
  /** False while some confirmed seats are still being counted (groups with more than 100). */
  complete: boolean;
  /** Part of confirmed seats signed, 0–1; null when the group has no confirmed seat. */
  ratio: number | null;
}

export function tallySeats(nodes: readonly { needsSignature: boolean }[]): SeatTally {
  const unsigned = nodes.filter((n) => n.needsSignature).length;
  return { signed: nodes.length - unsigned, unsigned };
}

export function addTallies(a: SeatTally, b: SeatTally): SeatTally {
  return { signed: a.signed + b.signed, unsigned: a.unsigned + b.unsigned };
}

/**
 * Rows for the groups that require `agreementId`. `more` holds the tallies of confirmed seats
 * fetched after each group's first page (for groups with more than 100 of them).
 */
export function coverageRows(
  groups: readonly CoverageGroup[],
  agreementId: string,
  more: ReadonlyMap<string, SeatTally> = new Map(),
): CoverageRow[] {
  return groups
    .filter((g) => g.program.requiredAgreement?.id === agreementId && g.reservations)
    .map((g) => {
      const seats = g.reservations;
      const first = tallySeats(seats?.nodes ?? []);
      const tally = addTallies(first, more.get(g.id) ?? { signed: 0, unsigned: 0 });
      const confirmed = seats?.totalCount ?? 0;
      return {
        groupId: g.id,
        title: g.title,
        status: g.status,
        programTitle: g.program.title,
        confirmed,
        signed: tally.signed,
        unsigned: tally.unsigned,
        held: g.seatsHeld,
        complete: tally.signed + tally.unsigned >= confirmed,
        ratio: confirmed === 0 ? null : tally.signed / confirmed,
      };
    });
}

/** Totals over rows: confirmed seats, signed, and whether every row is fully counted. */
export function coverageTotals(rows: readonly CoverageRow[]) {
  const confirmed = rows.reduce((sum, r) => sum + r.confirmed, 0);
  const signed = rows.reduce((sum, r) => sum + r.signed, 0);
  return { groups: rows.length, confirmed, signed, unsigned: confirmed - signed, complete: rows.every((r) => r.complete) };
}
