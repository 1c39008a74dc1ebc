import { computed, watch } from 'vue';
import { useConnection } from '@/composables/use-connection';
import { DashboardGroupsDocument, type DashboardGroupsQuery, type GroupStatus } from '@/gql/graphql';

export type DashboardGroup = DashboardGroupsQuery['groups']['nodes'][number];

/**
 * The API has no aggregate queries (occupancy, waitlists, attendance rates, sessions in a date
 * range), so the dashboard computes them from the groups it can list: pages of 50, at most
 * MAX_PAGES of them, and says so when there are more.
 */
const DASHBOARD_PAGE_SIZE = 50;
const MAX_PAGES = 4;
const STATUSES: GroupStatus[] = ['OPEN', 'IN_PROGRESS', 'COMPLETED'];

export function useDashboardGroups(therapistId: () => string | null) {
  const groups = useConnection({
    query: DashboardGroupsDocument,
    variables: () => ({ filter: { statuses: STATUSES, ...(therapistId() ? { therapistId: therapistId() } : {}) } }),
    connection: (data) => data.groups,
    pageSize: DASHBOARD_PAGE_SIZE,
  });
  // Fetch the following pages as each arrives, up to the cap.
  watch(
    () => [groups.nodes.value.length, groups.fetching.value] as const,
    ([loaded, fetching]) => {
      if (!fetching && groups.hasMore.value && loaded < DASHBOARD_PAGE_SIZE * MAX_PAGES) groups.loadMore();
    },
  );
  const truncated = computed(() => groups.totalCount.value > groups.nodes.value.length && !groups.fetching.value);
  return { ...groups, truncated };
}

/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Monday of the week of a calendar date. */
export function weekStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

const ACTIVE: GroupStatus[] = ['OPEN', 'IN_PROGRESS'];

/** Seats per active group: confirmed, held, free — fullest first. */
export function occupancy(groups: DashboardGroup[]) {
  return groups
    .filter((g) => ACTIVE.includes(g.status))
    .map((g) => ({
      title: g.title,
      confirmed: g.seatsTaken - g.seatsHeld,
      held: g.seatsHeld,
      free: Math.max(0, g.capacity - g.seatsTaken),
      ratio: g.capacity ? g.seatsTaken / g.capacity : 0,
    }))
    .sort((a, b) => b.ratio - a.ratio || a.title.localeCompare(b.title));
}

/** Active groups with people waiting, longest waitlist first. */
export function waitlists(groups: DashboardGroup[]) {
  return groups
    .filter((g) => ACTIVE.includes(g.status) && g.waitlistLength > 0)
    .map((g) => ({ title: g.title, waiting: g.waitlistLength }))
    .sort((a, b) => b.waiting - a.waiting);
}

interface UpcomingSession {
  groupTitle: string;
  position: number;
  startsAt: string;
}

/** Scheduled sessions in the next `days` days, counted per calendar day in the viewer's zone. */
export function upcomingByDay(groups: DashboardGroup[], timeZone: string, now: Date, days = 14) {
  const today = localDay(now, timeZone);
  const labels = Array.from({ length: days }, (_, i) => addDays(today, i));
  const counts = new Map(labels.map((day) => [day, 0]));
  const next: UpcomingSession[] = [];
  for (const g of groups) {
    if (!ACTIVE.includes(g.status)) continue;
    for (const s of g.sessions) {
      if (s.status !== 'SCHEDULED' || new Date(s.startsAt) < now) continue;
      const day = localDay(s.startsAt, timeZone);
      if (counts.has(day)) counts.set(day, (counts.get(day) ?? 0) + 1);
      next.push({ groupTitle: g.title, position: s.position, startsAt: s.startsAt });
    }
  }
  next.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return { days: labels, counts: labels.map((day) => counts.get(day) ?? 0), next: next.slice(0, 6) };
}

/** Share of recorded attendances that were PRESENT or LATE, per week (viewer's zone), oldest first. */
export function attendanceTrend(groups: DashboardGroup[], timeZone: string) {
  const weeks = new Map<string, { attended: number; recorded: number }>();
  for (const g of groups) {
    for (const s of g.sessions) {
      const recorded = s.attendance ?? [];
      if (recorded.length === 0) continue;
      const week = weekStart(localDay(s.startsAt, timeZone));
      const entry = weeks.get(week) ?? { attended: 0, recorded: 0 };
      entry.recorded += recorded.length;
      entry.attended += recorded.filter((a) => a.status === 'PRESENT' || a.status === 'LATE').length;
      weeks.set(week, entry);
    }
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, { attended, recorded }]) => ({ week, rate: Math.round((attended / recorded) * 1000) / 10, recorded }));
}
