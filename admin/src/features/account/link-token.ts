/**
 * Mailed links carry their secret in the URL fragment (`/account/reset#token=kat_…`), which
 * browsers never send to a server. The page reads it once, then takes it out of the address bar
 * (and so out of the history, bookmarks and anything shared from the screen); from then on it
 * lives only in the page's memory until it goes into its one mutation.
 */
export function takeLinkToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  history: History = window.history,
): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token')?.trim() || null;
  if (location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return token;
}
