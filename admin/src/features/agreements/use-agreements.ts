import { useClientHandle, useQuery } from '@urql/vue';
import { computed, type MaybeRefOrGetter, reactive, shallowRef, toValue, watch } from 'vue';
import { constraintOf } from '@/composables/input-constraints';
import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import {
  AgreementCoverageDocument,
  AgreementCoverageGroupSeatsDocument,
  AgreementDetailDocument,
  type AgreementDetailQuery,
  AgreementListDocument,
  PublishAgreementVersionDocument,
} from '@/gql/graphql';
import { addTallies, type CoverageGroup, coverageRows, coverageTotals, type SeatTally, tallySeats } from './coverage';

export interface VersionDraft {
  bodyMarkdown: string;
  requiresResign: boolean;
}

/**
 * Checks a new version before sending. Publishing the same text again only makes sense to
 * make everyone sign again; otherwise it would be a version that changes nothing.
 */
export function validateVersion(draft: VersionDraft, currentBody: string | null): Record<string, string | undefined> {
  const body = draft.bodyMarkdown.trim();
  const max = constraintOf('PublishAgreementVersionInput', 'bodyMarkdown').maxLength;
  if (!body) return { bodyMarkdown: 'Enter the text of the agreement.' };
  if (body.length > max) return { bodyMarkdown: `At most ${max.toLocaleString('en')} characters.` };
  if (currentBody !== null && body === currentBody.trim() && !draft.requiresResign) {
    return { bodyMarkdown: 'The text is the same as the current version. Change it, or ask members to sign again.' };
  }
  return {};
}

export function useAgreementList() {
  return useConnection({ query: AgreementListDocument, connection: (data) => data.agreements, pageSize: 20 });
}

type AgreementNode = Extract<NonNullable<AgreementDetailQuery['node']>, { __typename: 'Agreement' }>;

/**
 * One agreement. Publishing a version makes the cache drop the agreement until it is fetched
 * again; the last answer stays on screen meanwhile, so the page (and its form) never blinks out.
 */
export function useAgreement(id: MaybeRefOrGetter<string>) {
  const query = useQuery({ query: AgreementDetailDocument, variables: () => ({ id: toValue(id) }) });
  const agreement = shallowRef<AgreementNode | null>(null);
  watch(
    [() => query.data.value?.node, () => toValue(id)],
    ([node, current]) => {
      if (node?.__typename === 'Agreement') agreement.value = node;
      else if (agreement.value?.id !== current) agreement.value = null;
    },
    { immediate: true },
  );
  return { query, agreement };
}

export function usePublishVersion(agreementId: MaybeRefOrGetter<string>, currentBody: MaybeRefOrGetter<string | null>) {
  const form = useMutationForm(PublishAgreementVersionDocument, {
    payload: (data) => data.publishAgreementVersion,
    fields: ['bodyMarkdown', 'requiresResign'],
    validate: (variables) => validateVersion(variables.input, toValue(currentBody)),
  });
  async function publish(draft: VersionDraft) {
    const payload = await form.submit({
      input: { agreementId: toValue(agreementId), bodyMarkdown: draft.bodyMarkdown.trim(), requiresResign: draft.requiresResign },
    });
    return payload?.agreementVersion ?? null;
  }
  return { form, publish };
}

/**
 * Coverage of one agreement over open and running groups, 20 groups a page ("check more").
 * Groups with more than 100 confirmed seats get their further seats counted in the background.
 */
export function useSignatureCoverage(agreementId: MaybeRefOrGetter<string>) {
  const { client } = useClientHandle();
  const groups = useConnection({ query: AgreementCoverageDocument, connection: (data) => data.groups, pageSize: 20 });
  const more = reactive(new Map<string, SeatTally>());
  const counting = reactive(new Set<string>());
  const failed = reactive(new Set<string>());

  async function countRest(group: CoverageGroup): Promise<void> {
    counting.add(group.id);
    let after = group.reservations?.pageInfo.endCursor ?? null;
    let tally: SeatTally = { signed: 0, unsigned: 0 };
    try {
      while (after) {
        const result = await client
          .query(AgreementCoverageGroupSeatsDocument, { id: group.id, after }, { requestPolicy: 'network-only' })
          .toPromise();
        const seats = result.data?.group?.reservations;
        if (!seats) throw result.error ?? new Error('No seats returned');
        tally = addTallies(tally, tallySeats(seats.nodes));
        after = seats.pageInfo.hasNextPage ? seats.pageInfo.endCursor : null;
      }
      more.set(group.id, tally);
    } catch {
      failed.add(group.id);
    } finally {
      counting.delete(group.id);
    }
  }

  watch(
    () => groups.nodes.value,
    (nodes) => {
      for (const g of nodes) {
        const relevant = g.program.requiredAgreement?.id === toValue(agreementId);
        if (relevant && g.reservations?.pageInfo.hasNextPage && !more.has(g.id) && !counting.has(g.id) && !failed.has(g.id)) {
          void countRest(g);
        }
      }
    },
    { immediate: true },
  );

  const rows = computed(() => coverageRows(groups.nodes.value, toValue(agreementId), more));
  const totals = computed(() => coverageTotals(rows.value));
  const checked = computed(() => groups.nodes.value.length);

  /** Counts again from the server (after a new version changed who has signed). */
  function refresh(): void {
    more.clear();
    failed.clear();
    groups.refresh();
  }

  return { groups, rows, totals, checked, counting, failed, refresh };
}
