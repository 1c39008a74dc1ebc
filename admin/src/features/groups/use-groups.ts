import type { CombinedError } from '@urql/core';
import { useClientHandle, useQuery } from '@urql/vue';
import { computed, type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue, watch } from 'vue';
import { describeGraphQLError } from '@/composables/graphql-errors';
import { constraintOf } from '@/composables/input-constraints';
import { useConnection } from '@/composables/use-connection';
import {
  type GroupFilter,
  GroupFormOptionsDocument,
  GroupListDocument,
  type GroupRosterQuery,
  type GroupWaitlistQuery,
  type GroupScheduleInput,
  type GroupStatus,
  PreviewGroupSessionsDocument,
  type PreviewGroupSessionsQuery,
  type Weekday,
} from '@/gql/graphql';

export type RosterReservation = NonNullable<NonNullable<GroupRosterQuery['group']>['reservations']>['nodes'][number];
export type WaitlistReservation = NonNullable<NonNullable<GroupWaitlistQuery['group']>['waitlist']>['nodes'][number];

/** What the move and remove dialogs need of a reservation. */
export interface ReservationRef {
  id: string;
  status: string;
  member: { displayName: string };
}

export const GROUP_STATUSES: GroupStatus[] = ['DRAFT', 'OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'];

/** The list filters as the page holds them (and as they appear in the URL). */
export interface GroupListFilters {
  statuses: GroupStatus[];
  programId: string | null;
  therapistId: string | null;
  timeZone: string | null;
  /** 'free' = has a free seat, 'full' = none, null = either. */
  availability: 'free' | 'full' | null;
}

export function emptyFilters(): GroupListFilters {
  return { statuses: [], programId: null, therapistId: null, timeZone: null, availability: null };
}

/** The API's GroupFilter for these filters; `ownTherapistId` pins a therapist to its own groups. */
export function toGroupFilter(filters: GroupListFilters, ownTherapistId: string | null = null): GroupFilter {
  const filter: GroupFilter = {};
  if (filters.statuses.length) filter.statuses = filters.statuses;
  if (filters.programId) filter.programId = filters.programId;
  const therapistId = ownTherapistId ?? filters.therapistId;
  if (therapistId) filter.therapistId = therapistId;
  if (filters.timeZone) filter.timeZone = filters.timeZone;
  if (filters.availability) filter.hasSeatsAvailable = filters.availability === 'free';
  return filter;
}

/** Groups matching the filters, one page at a time. */
export function useGroupList(filter: MaybeRefOrGetter<GroupFilter>, pageSize = 20) {
  return useConnection({
    query: GroupListDocument,
    variables: () => ({ filter: toValue(filter) }),
    connection: (data) => data.groups,
    pageSize,
  });
}

/** Programs and therapists to choose from in filters and forms (the first 100 of each). */
export function useGroupFormOptions(publishedOnly = false) {
  const query = useQuery({
    query: GroupFormOptionsDocument,
    variables: computed(() => ({ programStatuses: publishedOnly ? (['PUBLISHED'] as const).slice() : null })),
  });
  const programs = computed(() => query.data.value?.programs.nodes ?? []);
  const therapists = computed(() => query.data.value?.therapists.nodes ?? []);
  const truncated = computed(
    () =>
      (query.data.value?.programs.totalCount ?? 0) > programs.value.length ||
      (query.data.value?.therapists.totalCount ?? 0) > therapists.value.length,
  );
  return { programs, therapists, truncated, fetching: query.fetching, error: query.error };
}

/** The schedule part of the create form, before validation. */
export interface ScheduleDraft {
  timeZone: string | null;
  startsOn: string | null;
  weekday: Weekday | null;
  startTime: string | null;
  durationMinutes: number | null;
  sessionCount: number | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Field messages for a schedule draft (keys as the API's userError paths: `schedule.startTime`). */
export function validateSchedule(draft: ScheduleDraft): Record<string, string | undefined> {
  const duration = constraintOf('GroupScheduleInput', 'durationMinutes');
  const sessions = constraintOf('GroupScheduleInput', 'sessionCount');
  return {
    'schedule.timeZone': draft.timeZone ? undefined : 'Choose the group’s time zone.',
    'schedule.startsOn': !draft.startsOn
      ? 'Choose the first possible date.'
      : DATE.test(draft.startsOn)
        ? undefined
        : 'Use the format YYYY-MM-DD.',
    'schedule.weekday': draft.weekday ? undefined : 'Choose the day of the week.',
    'schedule.startTime': !draft.startTime
      ? 'Enter the start time.'
      : TIME.test(draft.startTime)
        ? undefined
        : 'Use 24-hour HH:MM, e.g. 18:30.',
    'schedule.durationMinutes':
      draft.durationMinutes == null || (draft.durationMinutes >= duration.min && draft.durationMinutes <= duration.max)
        ? undefined
        : `Between ${duration.min} and ${duration.max} minutes.`,
    'schedule.sessionCount':
      draft.sessionCount == null || (draft.sessionCount >= sessions.min && draft.sessionCount <= sessions.max)
        ? undefined
        : `Between ${sessions.min} and ${sessions.max} sessions.`,
  };
}

/** The API input for a draft, or null while it is incomplete or invalid. */
export function toScheduleInput(draft: ScheduleDraft): GroupScheduleInput | null {
  if (Object.values(validateSchedule(draft)).some(Boolean)) return null;
  return {
    timeZone: draft.timeZone!,
    startsOn: draft.startsOn!,
    weekday: draft.weekday!,
    startTime: draft.startTime!,
    ...(draft.durationMinutes != null ? { durationMinutes: draft.durationMinutes } : {}),
    ...(draft.sessionCount != null ? { sessionCount: draft.sessionCount } : {}),
  };
}

/**
 * The sessions a schedule would generate, asked of the API (`previewGroupSessions`, computed in
 * the group's time zone with its daylight-saving rules) as the form changes, 300 ms after the
 * last keystroke. Only the latest answer is kept.
 */
export function useSchedulePreview(schedule: MaybeRefOrGetter<GroupScheduleInput | null>, debounceMs = 300) {
  const { client } = useClientHandle();
  const sessions = shallowRef<PreviewGroupSessionsQuery['previewGroupSessions']>([]);
  const error = ref<string | null>(null);
  const fetching = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function run(input: GroupScheduleInput) {
    const mine = ++generation;
    fetching.value = true;
    const result = await client.query(PreviewGroupSessionsDocument, { schedule: input }, { requestPolicy: 'network-only' }).toPromise();
    if (mine !== generation) return;
    fetching.value = false;
    if (result.data) {
      sessions.value = result.data.previewGroupSessions;
      error.value = null;
    } else {
      sessions.value = [];
      error.value = previewError(result.error);
    }
  }

  watch(
    () => JSON.stringify(toValue(schedule)),
    () => {
      clearTimeout(timer);
      const input = toValue(schedule);
      if (!input) {
        generation++;
        sessions.value = [];
        error.value = null;
        fetching.value = false;
        return;
      }
      fetching.value = true;
      timer = setTimeout(() => void run(input), debounceMs);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearTimeout(timer));

  return { sessions, error, fetching };
}

function previewError(error: CombinedError | undefined): string {
  if (!error) return 'No preview available.';
  if (error.networkError) return 'Kindred could not be reached to preview the sessions.';
  return error.graphQLErrors.map(describeGraphQLError).join(' ');
}
