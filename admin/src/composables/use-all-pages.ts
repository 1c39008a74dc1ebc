import { watch } from 'vue';
import type { useConnection } from '@/composables/use-connection';

type Connection = Pick<ReturnType<typeof useConnection>, 'hasMore' | 'fetching' | 'error' | 'loadMore'>;

/**
 * Follows a connection to its end, page by page (for the options of a select, where the whole
 * list is needed). Stops at `maxPages` so an unexpectedly long list cannot keep requesting.
 */
export function useAllPages<C extends Connection>(connection: C, maxPages = 20): C {
  let pages = 1;
  watch(
    () => [connection.hasMore.value, connection.fetching.value, !!connection.error.value] as const,
    ([hasMore, fetching, failed]) => {
      if (hasMore && !fetching && !failed && pages < maxPages && connection.loadMore()) pages += 1;
    },
    { immediate: true },
  );
  return connection;
}
