import { useQuery } from '@urql/vue';
import { type MaybeRefOrGetter, toValue } from 'vue';
import { constraintOf } from '@/composables/input-constraints';
import { useConnection } from '@/composables/use-connection';
import { useMutationForm } from '@/composables/use-mutation-form';
import {
  CreatePartnerApiKeyDocument,
  CreatePartnerDocument,
  PartnerDetailDocument,
  PartnerListDocument,
  RevokePartnerApiKeyDocument,
} from '@/gql/graphql';

const requiredText = (value: string, what: string, max: number) =>
  !value.trim() ? `Enter ${what}.` : value.trim().length > max ? `At most ${max} characters.` : undefined;

const validatePartnerName = (name: string) => ({
  name: requiredText(name, 'the organisation name', constraintOf('CreatePartnerInput', 'name').maxLength),
});
const validateKeyLabel = (label: string) => ({
  label: requiredText(label, 'what the key is for', constraintOf('CreatePartnerApiKeyInput', 'label').maxLength),
});

export function usePartnerList() {
  return useConnection({ query: PartnerListDocument, connection: (data) => data.partners, pageSize: 20 });
}

export function usePartner(id: MaybeRefOrGetter<string>) {
  return useQuery({ query: PartnerDetailDocument, variables: () => ({ id: toValue(id) }) });
}

export function useCreatePartner() {
  return useMutationForm(CreatePartnerDocument, {
    payload: (data) => data.createPartner,
    fields: ['name'],
    validate: (variables) => validatePartnerName(variables.input.name),
  });
}

/**
 * Issues a key. The payload's `secret` is the only copy Kindred ever gives out: the caller
 * shows it and drops it (the cache keeps no key-less payload fields, so it is not cached).
 */
export function useIssueApiKey() {
  return useMutationForm(CreatePartnerApiKeyDocument, {
    payload: (data) => data.createPartnerApiKey,
    fields: ['label'],
    validate: (variables) => validateKeyLabel(variables.input.label),
  });
}

export function useRevokeApiKey() {
  return useMutationForm(RevokePartnerApiKeyDocument, { payload: (data) => data.revokePartnerApiKey });
}
