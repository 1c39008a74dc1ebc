import { useRoute, useRouter } from 'vue-router';

/** The secret of a mailed link's fragment (`#token=kat_…`), or null when there is none. */
export function linkTokenOf(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim() || null;
}

/**
 * Mailed links carry their secret in the URL fragment (`/account/reset#token=kat_…`), which
 * browsers never send to a server. The page reads it once, then replaces the address without it
 * through the router (so neither the address bar nor the router's history state keeps it: not in
 * bookmarks, the history, or anything shared from the screen); from then on it lives only in the
 * page's memory until it goes into its one mutation.
 */
export function useLinkToken(): string | null {
  const route = useRoute();
  const router = useRouter();
  const token = linkTokenOf(route.hash);
  if (route.hash) void router.replace({ path: route.path, query: route.query, hash: '' });
  return token;
}
