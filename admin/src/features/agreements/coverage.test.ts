import { describe, expect, it } from 'vitest';
import { type CoverageGroup, coverageRows, coverageTotals } from './coverage';
import { validateVersion } from './use-agreements';

function group(id: string, agreementId: string | null, seats: boolean[], totalCount = seats.length): CoverageGroup {
  return {
    id,
    title: `Group ${id}`,
    status: 'OPEN',
    seatsHeld: 1,
    program: { id: `P-${id}`, title: `Program ${id}`, requiredAgreement: agreementId ? { id: agreementId } : null },
    reservations: {
      totalCount,
      pageInfo: { hasNextPage: totalCount > seats.length, endCursor: seats.length ? `c${seats.length}` : null },
      nodes: seats.map((needsSignature, i) => ({ id: `${id}-r${i}`, needsSignature })),
    },
  };
}

describe('coverageRows', () => {
  it("counts a group's confirmed members who have signed", () => {
    const [row] = coverageRows([group('A', 'AG', [false, false, true])], 'AG');
    expect(row).toMatchObject({ confirmed: 3, signed: 2, unsigned: 1, held: 1, complete: true });
    expect(row?.ratio).toBeCloseTo(2 / 3);
  });

  it('keeps only groups whose program requires this agreement', () => {
    const rows = coverageRows([group('A', 'AG', [false]), group('B', 'OTHER', [true]), group('C', null, [])], 'AG');
    expect(rows.map((r) => r.groupId)).toEqual(['A']);
  });

  it('has no ratio for a group without confirmed seats', () => {
    expect(coverageRows([group('A', 'AG', [])], 'AG')[0]).toMatchObject({ confirmed: 0, ratio: null, complete: true });
  });

  it('adds seats counted after the first 100, and stays incomplete until they are', () => {
    const big = group(
      'A',
      'AG',
      Array.from({ length: 100 }, (_, i) => i % 10 === 0),
      130,
    );
    expect(coverageRows([big], 'AG')[0]).toMatchObject({ signed: 90, unsigned: 10, complete: false });
    const rest = new Map([['A', { signed: 25, unsigned: 5 }]]);
    expect(coverageRows([big], 'AG', rest)[0]).toMatchObject({ confirmed: 130, signed: 115, unsigned: 15, complete: true });
  });

  it('adds up the groups', () => {
    const rows = coverageRows([group('A', 'AG', [false, true]), group('B', 'AG', [false, false, false])], 'AG');
    expect(coverageTotals(rows)).toEqual({ groups: 2, confirmed: 5, signed: 4, unsigned: 1, complete: true });
  });
});

describe('validateVersion', () => {
  it('asks for a text of at most 50,000 characters', () => {
    expect(validateVersion({ bodyMarkdown: '  ', requiresResign: true }, 'old').bodyMarkdown).toBe('Enter the text of the agreement.');
    expect(validateVersion({ bodyMarkdown: 'x'.repeat(50_001), requiresResign: true }, 'old').bodyMarkdown).toMatch(/At most 50,000/);
    expect(validateVersion({ bodyMarkdown: 'x'.repeat(50_000), requiresResign: true }, 'old')).toEqual({});
  });

  it('refuses a version that changes nothing, unless members must sign it again', () => {
    expect(validateVersion({ bodyMarkdown: 'Same text', requiresResign: false }, 'Same text\n').bodyMarkdown).toMatch(
      /same as the current/,
    );
    expect(validateVersion({ bodyMarkdown: 'Same text', requiresResign: true }, 'Same text')).toEqual({});
  });
});
