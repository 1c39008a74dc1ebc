import type { MaybeRefOrGetter } from 'vue';
import { toValue } from 'vue';
import { titleCase } from '@/composables/format';
import { useConnection } from '@/composables/use-connection';
import { StaffActionsDocument, type StaffActionsQuery } from '@/gql/graphql';

export type StaffActionRow = StaffActionsQuery['staffActions']['nodes'][number];

/** What the log is narrowed to; every key is one of `staffActions`' arguments (instants as ISO strings). */
export interface ActivityFilter {
  actorId?: string | null;
  subjectId?: string | null;
  groupId?: string | null;
  since?: string | null;
  until?: string | null;
}

/** Staff actions the viewer may see, newest first, one page at a time. */
export function useStaffActions(filter: MaybeRefOrGetter<ActivityFilter>, pageSize = 20) {
  return useConnection({
    query: StaffActionsDocument,
    variables: () => {
      const { actorId, subjectId, groupId, since, until } = toValue(filter);
      return {
        actorId: actorId || null,
        subjectId: subjectId || null,
        groupId: groupId || null,
        since: since || null,
        until: until || null,
      };
    },
    connection: (data) => data.staffActions,
    pageSize,
  });
}

/** Who acted, as a person reads it: the kind ("Admin") and a name (an admin's sign-in address). */
/** What stands for an actor the API does not name to this viewer. */
const UNNAMED: Partial<Record<string, string>> = { ADMIN: 'An admin', PARTNER: 'A partner organisation' };

export function actorOf(action: Pick<StaffActionRow, 'actor' | 'actorKind'>): { kind: string; name: string; id: string | null } {
  const kind = titleCase(action.actorKind);
  const actor = action.actor;
  if (action.actorKind === 'OPERATOR') return { kind, name: 'Server command', id: null };
  // The API names an admin or a partner to admins only: a therapist learns the kind, not who.
  if (!actor) return { kind, name: UNNAMED[action.actorKind] ?? 'No longer exists', id: null };
  if (actor.__typename === 'Admin') return { kind, name: actor.email, id: actor.id };
  if (actor.__typename === 'Therapist') return { kind, name: actor.displayName, id: actor.id };
  return { kind, name: actor.name, id: actor.id };
}

/** "approveTherapist" → "Approve therapist". */
export function actionLabel(action: string): string {
  const words = action.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface ObjectChange {
  type: string;
  id: string;
  /** created (no before), deleted (no after) or updated. */
  kind: 'created' | 'deleted' | 'updated';
  fields: FieldChange[];
}

/** One recorded value as text: lists joined, nothing as "—", objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map(formatValue).join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  if (value === '') return '(empty)';
  return String(value);
}

type RecordedChange = StaffActionRow['changes'][number];
const asRecord = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/**
 * An action's changes, object by object, field by field (before → after). An updated field whose
 * value did not change (a list rewritten as it was) is left out; created and deleted objects keep
 * every field they carry.
 */
export function describeChanges(changes: readonly RecordedChange[]): ObjectChange[] {
  return changes.map((change) => {
    const before = asRecord(change.before);
    const after = asRecord(change.after);
    const kind = !before ? 'created' : !after ? 'deleted' : 'updated';
    const keys = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
    const fields = keys
      .filter((key) => kind !== 'updated' || JSON.stringify(before?.[key]) !== JSON.stringify(after?.[key]))
      .map((field) => ({
        field,
        before: before ? formatValue(before[field]) : '—',
        after: after ? formatValue(after[field]) : '—',
      }));
    return { type: change.type, id: change.id, kind, fields };
  });
}

/** The offset of `timeZone` from UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Midnight starting the calendar day `date` ("2026-03-29") in `timeZone`, as an ISO instant. */
export function startOfDay(date: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Twice: the offset at the first guess may differ from the offset at midnight (a DST change).
  let instant = wall - offsetAt(wall, timeZone);
  instant = wall - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The day after `date` ("2026-12-31" → "2027-01-01"). */
function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * The instants of a "from day … to day" choice in `timeZone`: from the first day's midnight up to
 * (not including) the midnight after the last day, as `since`/`until` expect.
 */
export function dayRange(fromDate: string, toDate: string, timeZone: string): { since: string | null; until: string | null } {
  return {
    since: fromDate ? startOfDay(fromDate, timeZone) : null,
    until: toDate && startOfDay(toDate, timeZone) ? startOfDay(nextDay(toDate), timeZone) : null,
  };
}
