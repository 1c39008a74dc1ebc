import { mount, type VueWrapper } from '@vue/test-utils';
import ConfirmDialog from 'primevue/confirmdialog';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { fakeClient } from '@/testing/fake-api';
import { appGlobals, settle } from '@/features/programs/test-helpers';
import type { PartnerApiKeyFieldsFragment } from '@/gql/graphql';
import ApiKeyTable from './ApiKeyTable.vue';

const key = (id: string, label: string, revokedAt: string | null = null): PartnerApiKeyFieldsFragment => ({
  id,
  label,
  prefix: `kpk_${id}`,
  createdAt: '2026-01-01T10:00:00Z',
  lastUsedAt: null,
  revokedAt,
});

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

function mountTable(keys: PartnerApiKeyFieldsFragment[]) {
  const { client, requests: sent } = fakeClient(() => ({
    data: {
      revokePartnerApiKey: {
        __typename: 'RevokePartnerApiKeyPayload',
        apiKey: { __typename: 'PartnerApiKey', ...key('K1', 'production app', '2026-02-01T00:00:00Z') },
        userErrors: [],
      },
    },
  }));
  const Host = defineComponent({ render: () => [h(ApiKeyTable, { keys, partnerName: 'Harbour Clinic' }), h(ConfirmDialog)] });
  wrapper = mount(Host, { attachTo: document.body, global: appGlobals(client) });
  return { sent };
}

const buttonNamed = (text: string) => [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

describe('ApiKeyTable', () => {
  it('lists keys by label and prefix, never a secret, and offers revoking only working keys', () => {
    mountTable([key('K1', 'production app'), key('K2', 'old app', '2026-01-05T00:00:00Z')]);
    const text = document.body.textContent ?? '';
    expect(text).toContain('kpk_K1…');
    expect(text).toContain('Never');
    expect(document.body.querySelector('button[aria-label="Revoke key production app"]')).not.toBeNull();
    expect(document.body.querySelector('button[aria-label="Revoke key old app"]')).toBeNull();
  });

  it('revokes only after the confirmation', async () => {
    const { sent } = mountTable([key('K1', 'production app')]);
    document.body.querySelector<HTMLButtonElement>('button[aria-label="Revoke key production app"]')?.click();
    await settle();
    expect(document.body.textContent).toContain('stops working at once');
    expect(sent).toHaveLength(0);

    buttonNamed('Cancel')?.click();
    await settle();
    expect(sent).toHaveLength(0);

    document.body.querySelector<HTMLButtonElement>('button[aria-label="Revoke key production app"]')?.click();
    await settle();
    buttonNamed('Revoke key')?.click();
    await settle();
    expect(sent.map((o) => [o.operationName, o.variables.input])).toEqual([['RevokePartnerApiKey', { apiKeyId: 'K1' }]]);
  });
});
