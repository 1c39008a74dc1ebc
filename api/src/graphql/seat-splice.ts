/**
 * Fresh seat figures written into a cached answer (graphql/public-cache.ts): only at the paths
 * where the answer's own execution resolved a seat field of a group whose seats changed, so the
 * spliced answer has exactly the original's shape and every other value unchanged.
 */
import type { SeatPath } from './catalogue-scopes.js';

/** The cached body with `fields[group][field]` at each recorded path of the groups in `fields`. */
export function spliceSeats(body: string, seats: readonly SeatPath[], fields: ReadonlyMap<string, Record<string, number>>): string {
  const answer = JSON.parse(body) as { data: unknown };
  for (const { path, group, field } of seats) {
    const value = fields.get(group)?.[field];
    if (value === undefined) continue; // this group's seats did not change
    let node = answer.data as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1)!] = value;
  }
  // Apollo ends its JSON with a newline; keep the body byte-for-byte in its format.
  return JSON.stringify(answer) + (body.endsWith('\n') ? '\n' : '');
}
