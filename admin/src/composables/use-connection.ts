import type { AnyVariables, CombinedError, OperationResult, TypedDocumentNode } from '@urql/core';
import { useClientHandle } from '@urql/vue';
import { computed, type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue, watch } from 'vue';

/**
 * Cursor pagination over one Relay connection (`first`/`after`, `pageInfo`, `totalCount`).
 *
 *   const groups = useConnection({
 *     query: GroupListDocument,                 // declares `$first: Int!` and `$after: String`
 *     variables: () => ({ filter: filter.value }), // everything but first/after; a change restarts at page 1
 *     connection: (data) => data.groups,        // where the connection is in the answer
 *     pageSize: 20,                             // optional, 1–100 (default 20)
 *     pause: () => !ready.value,                // optional
 *   });
 *
 * Returns reactive `nodes` (every page loaded so far, in order), `totalCount`, `pageInfo`,
 * `hasMore`, `fetching`, `error`, `data` (first page's answer, for fields next to the connection),
 * and two ways to page:
 * - `loadMore()` appends the next page ("Load more" lists);
 * - `page` / `pageCount` / `pageNodes` / `nextPage()` / `previousPage()` show one page at a time
 *   (fetching the next page on demand).
 * `refresh()` refetches every loaded page from the network.
 *
 * Each page is its own cached query, kept subscribed: when a mutation updates or invalidates
 * an object or list in the cache, every page on screen follows.
 */
interface ConnectionShape<TNode> {
  nodes: TNode[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface UseConnectionOptions<TData, TVars extends AnyVariables, TNode> {
  query: TypedDocumentNode<TData, TVars>;
  variables?: MaybeRefOrGetter<Omit<TVars, 'first' | 'after'>>;
  connection: (data: TData) => ConnectionShape<TNode> | null | undefined;
  pageSize?: number;
  pause?: MaybeRefOrGetter<boolean>;
}

interface PageState<TData> {
  after: string | null;
  fetching: boolean;
  result: OperationResult<TData> | null;
  unsubscribe: () => void;
}

export function useConnection<TData, TVars extends AnyVariables, TNode>(options: UseConnectionOptions<TData, TVars, TNode>) {
  const handle = useClientHandle();
  const pageSize = Math.min(100, Math.max(1, options.pageSize ?? 20));
  const pages = shallowRef<PageState<TData>[]>([]);
  const page = ref(0);

  const touch = () => {
    pages.value = [...pages.value];
  };

  function subscribePage(after: string | null, requestPolicy?: 'network-only'): PageState<TData> {
    const state: PageState<TData> = { after, fetching: true, result: null, unsubscribe: () => {} };
    const variables = { ...(toValue(options.variables) ?? {}), first: pageSize, after } as unknown as TVars;
    const subscription = handle.client.query(options.query, variables, requestPolicy ? { requestPolicy } : {}).subscribe((result) => {
      state.result = result;
      state.fetching = !!result.stale;
      touch();
    });
    state.unsubscribe = () => subscription.unsubscribe();
    return state;
  }

  function stopAll() {
    for (const p of pages.value) p.unsubscribe();
    pages.value = [];
  }

  function restart() {
    stopAll();
    page.value = 0;
    if (toValue(options.pause)) return;
    pages.value = [subscribePage(null)];
  }

  watch(
    () => [JSON.stringify(toValue(options.variables) ?? {}), toValue(options.pause)],
    () => restart(),
    { immediate: true },
  );
  onScopeDispose(stopAll);

  const connections = computed(() => pages.value.map((p) => (p.result?.data ? (options.connection(p.result.data) ?? null) : null)));
  const nodes = computed<TNode[]>(() => connections.value.flatMap((c) => c?.nodes ?? []));
  const last = computed(() => {
    const list = connections.value;
    return list[list.length - 1] ?? null;
  });
  const first = computed(() => connections.value[0] ?? null);
  const totalCount = computed(() => first.value?.totalCount ?? 0);
  const pageInfo = computed(() => last.value?.pageInfo ?? { hasNextPage: false, endCursor: null });
  const hasMore = computed(() => !!last.value?.pageInfo.hasNextPage);
  const fetching = computed(() => pages.value.some((p) => p.fetching));
  const error = computed<CombinedError | undefined>(() => pages.value.find((p) => p.result?.error)?.result?.error);
  const data = computed<TData | undefined>(() => pages.value[0]?.result?.data);
  const pageCount = computed(() => Math.max(1, Math.ceil(totalCount.value / pageSize)));
  const pageNodes = computed<TNode[]>(() => connections.value[page.value]?.nodes ?? []);

  /** Appends the next page, if there is one and no page is loading. */
  function loadMore(): boolean {
    const cursor = last.value?.pageInfo.endCursor;
    if (!hasMore.value || fetching.value || !cursor) return false;
    pages.value = [...pages.value, subscribePage(cursor)];
    return true;
  }

  /** Shows the next page, loading it first when needed. */
  function nextPage(): void {
    if (page.value + 1 < pages.value.length) {
      page.value += 1;
    } else if (loadMore()) {
      page.value += 1;
    }
  }

  function previousPage(): void {
    if (page.value > 0) page.value -= 1;
  }

  /** Refetches every loaded page from the network (keeps what is on screen until it arrives). */
  function refresh(): void {
    const previous = pages.value;
    pages.value = previous.map((p) => {
      p.unsubscribe();
      const fresh = subscribePage(p.after, 'network-only');
      if (!fresh.result) fresh.result = p.result;
      return fresh;
    });
  }

  return {
    nodes,
    totalCount,
    pageInfo,
    hasMore,
    fetching,
    error,
    data,
    pageSize,
    page,
    pageCount,
    pageNodes,
    loadMore,
    nextPage,
    previousPage,
    refresh,
  };
}
