import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { MoveTargetsDocument } from '@/gql/graphql';
import { eventually, fakeClient } from '@/testing/fake-api';
import { withSetup } from '@/testing/mount';
import { useConnection } from './use-connection';

/** 5 groups per program, served 2 at a time by cursor (the cursor is the index). */
function groupsApi() {
  return fakeClient(({ variables }) => {
    const program = variables.filter?.programId ?? 'P';
    const all = Array.from({ length: 5 }, (_, i) => ({
      __typename: 'Group',
      id: `${program}-g${i}`,
      title: `${program} group ${i}`,
      status: 'OPEN',
      timeZone: 'Europe/London',
      seatsAvailable: 1,
      waitlistLength: 0,
      program: { __typename: 'Program', id: program, title: program },
    }));
    const start = variables.after == null ? 0 : Number(variables.after) + 1;
    const nodes = all.slice(start, start + variables.first);
    return {
      data: {
        groups: {
          __typename: 'GroupConnection',
          totalCount: all.length,
          pageInfo: { __typename: 'PageInfo', hasNextPage: start + nodes.length < all.length, endCursor: String(start + nodes.length - 1) },
          nodes,
        },
      },
    };
  });
}

describe('useConnection', () => {
  it('loads the first page, then appends pages with `after: endCursor`', async () => {
    const { client, requests } = groupsApi();
    const { result } = withSetup(() => useConnection({ query: MoveTargetsDocument, connection: (d) => d.groups, pageSize: 2 }), client);
    await eventually(() => expect(result.nodes.value).toHaveLength(2));
    expect(result.totalCount.value).toBe(5);
    expect(result.hasMore.value).toBe(true);

    result.loadMore();
    await eventually(() => expect(result.nodes.value).toHaveLength(4));
    result.loadMore();
    await eventually(() => expect(result.nodes.value.map((g) => g.id)).toEqual(['P-g0', 'P-g1', 'P-g2', 'P-g3', 'P-g4']));
    expect(result.hasMore.value).toBe(false);
    expect(result.loadMore()).toBe(false);
    expect(requests.map((r) => r.variables.after ?? null)).toEqual([null, '1', '3']);
    expect(requests.every((r) => r.variables.first === 2)).toBe(true);
  });

  it('pages one at a time with next and previous', async () => {
    const { client } = groupsApi();
    const { result } = withSetup(() => useConnection({ query: MoveTargetsDocument, connection: (d) => d.groups, pageSize: 2 }), client);
    await eventually(() => expect(result.pageNodes.value.map((g) => g.id)).toEqual(['P-g0', 'P-g1']));
    expect(result.pageCount.value).toBe(3);
    result.nextPage();
    await eventually(() => expect(result.pageNodes.value.map((g) => g.id)).toEqual(['P-g2', 'P-g3']));
    result.previousPage();
    expect(result.page.value).toBe(0);
    expect(result.pageNodes.value.map((g) => g.id)).toEqual(['P-g0', 'P-g1']);
  });

  it('starts again at the first page when the variables change', async () => {
    const { client } = groupsApi();
    const program = ref('A');
    const { result } = withSetup(
      () =>
        useConnection({
          query: MoveTargetsDocument,
          variables: () => ({ filter: { programId: program.value } }),
          connection: (d) => d.groups,
          pageSize: 2,
        }),
      client,
    );
    await eventually(() => expect(result.nodes.value).toHaveLength(2));
    result.loadMore();
    await eventually(() => expect(result.nodes.value).toHaveLength(4));
    program.value = 'B';
    await eventually(() => expect(result.nodes.value.map((g) => g.id)).toEqual(['B-g0', 'B-g1']));
    expect(result.page.value).toBe(0);
  });
});
