import { useRoute, useRouter } from 'vue-router';

/**
 * A list page's filters kept in the URL's query string, so a filtered list can be bookmarked and
 * survives "Back": read one as text, or replace some (an empty value removes the key).
 */
export function useQueryFilters() {
  const route = useRoute();
  const router = useRouter();
  const queryText = (key: string): string => {
    const value = route.query[key];
    return typeof value === 'string' ? value : '';
  };
  function setQuery(patch: Record<string, string | null>): void {
    const query = { ...route.query, ...patch };
    for (const [key, value] of Object.entries(query)) if (value === null || value === '') delete query[key];
    void router.replace({ query });
  }
  return { queryText, setQuery };
}
