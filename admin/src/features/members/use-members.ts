import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { useConnection } from '@/composables/use-connection';
import { MemberGroupOptionsDocument, MemberListDocument } from '@/gql/graphql';
import { useAllPages } from '@/composables/use-all-pages';

export interface MemberListFilter {
  /** Part of a display name (the API matches it anywhere, ignoring case). */
  name: string;
  groupId: string | null;
}

/** The API's limit on the display-name search (display names are at most 60 characters). */
export const NAME_FILTER_MAX = 60;

/**
 * Members by display name, with their reservations. No personal identifier is requested:
 * admins may not read them, and nothing on this page needs them.
 */
export function useMemberList(filter: MaybeRefOrGetter<MemberListFilter>) {
  return useConnection({
    query: MemberListDocument,
    variables: () => {
      const { name, groupId } = toValue(filter);
      return { displayNameContains: name.trim() || null, groupId };
    },
    connection: (data) => data.members,
    pageSize: 20,
  });
}

/**
 * Every group for the group filter (followed page by page): for a therapist, only the groups
 * it leads or co-leads, the only ones whose members it sees.
 */
export function useMemberGroupOptions(therapistId: MaybeRefOrGetter<string | null>) {
  const groups = useAllPages(
    useConnection({
      query: MemberGroupOptionsDocument,
      variables: () => {
        const id = toValue(therapistId);
        return { filter: id ? { therapistId: id } : null };
      },
      connection: (data) => data.groups,
      pageSize: 100,
    }),
  );
  return {
    groups,
    options: computed(() => groups.nodes.value.map((g) => ({ label: g.title, value: g.id, status: g.status }))),
  };
}
