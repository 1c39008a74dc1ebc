import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { fakeClient, type FakeRequest } from '@/testing/fake-api';
import { type Answer, appGlobals, settle } from '@/features/programs/test-helpers';
import { useSignatureCoverage } from './use-agreements';

const seats = (count: number, unsignedEvery: number, offset = 0, hasNextPage = false) => ({
  __typename: 'ReservationConnection',
  totalCount: 130,
  pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: hasNextPage ? 'page1' : null },
  nodes: Array.from({ length: count }, (_, i) => ({
    __typename: 'Reservation',
    id: `R${offset + i}`,
    needsSignature: (offset + i) % unsignedEvery === 0,
  })),
});

function respond(operation: FakeRequest): Answer {
  if (operation.operationName === 'AgreementCoverage') {
    const group = (id: string, agreement: string) => ({
      __typename: 'Group',
      id,
      title: `Group ${id}`,
      status: 'IN_PROGRESS',
      seatsHeld: 0,
      program: { __typename: 'Program', id: `P${id}`, title: 'P', requiredAgreement: { __typename: 'Agreement', id: agreement } },
      reservations: seats(100, 10, 0, true),
    });
    return {
      data: {
        groups: {
          __typename: 'GroupConnection',
          totalCount: 2,
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
          nodes: [group('A', 'AG'), group('B', 'OTHER')],
        },
      },
    };
  }
  if (operation.operationName === 'AgreementCoverageGroupSeats') {
    return { data: { group: { __typename: 'Group', id: operation.variables.id, reservations: seats(30, 10, 100) } } };
  }
  return { errors: [{ message: 'unexpected' }] };
}

describe('useSignatureCoverage', () => {
  it("counts every confirmed seat of a group with more than 100, and only this agreement's groups", async () => {
    const { client, requests: sent } = fakeClient(respond);
    let coverage: ReturnType<typeof useSignatureCoverage> | null = null;
    mount(
      defineComponent({
        setup() {
          coverage = useSignatureCoverage('AG');
          return () => h('div');
        },
      }),
      { global: appGlobals(client) },
    );
    await settle(10);
    // Seats R0…R129, every tenth unsigned: 13 unsigned, 117 signed.
    expect(coverage!.rows.value).toEqual([
      expect.objectContaining({ groupId: 'A', confirmed: 130, signed: 117, unsigned: 13, complete: true }),
    ]);
    expect(sent.filter((o) => o.operationName === 'AgreementCoverageGroupSeats').map((o) => o.variables)).toEqual([
      { id: 'A', after: 'page1' },
    ]);
  });
});
