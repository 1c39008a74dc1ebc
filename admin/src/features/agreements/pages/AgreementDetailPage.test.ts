import { mount, type VueWrapper } from '@vue/test-utils';
import ConfirmDialog from 'primevue/confirmdialog';
import Toast from 'primevue/toast';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { RouterView } from 'vue-router';
import { fakeClient, type FakeRequest } from '@/testing/fake-api';
import { appGlobals, settle, testRouter } from '@/features/programs/test-helpers';
import AgreementDetailPage from './AgreementDetailPage.vue';

const Host = defineComponent({ render: () => [h(RouterView), h(ConfirmDialog), h(Toast)] });

const version = (n: number, body: string) => ({
  __typename: 'AgreementVersion',
  id: `V${n}`,
  version: n,
  bodyMarkdown: body,
  publishedAt: '2026-01-01T00:00:00Z',
  requiresResign: true,
});

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

describe('AgreementDetailPage', () => {
  it('publishes a new version after the confirmation, then closes the form', async () => {
    let versions = [version(1, 'Old text')];
    const agreement = () => ({
      __typename: 'Agreement',
      id: 'AG',
      title: 'Confidentiality',
      kind: 'CONFIDENTIALITY',
      createdAt: '2026-01-01T00:00:00Z',
      currentVersion: versions[0],
      versions,
    });
    const { client, requests: sent } = fakeClient((operation: FakeRequest) => {
      switch (operation.operationName) {
        case 'AgreementDetail':
          return { data: { node: agreement() } };
        case 'AgreementCoverage':
          return {
            data: {
              groups: {
                __typename: 'GroupConnection',
                totalCount: 0,
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
                nodes: [],
              },
            },
          };
        case 'PublishAgreementVersion': {
          const input = operation.variables.input as { bodyMarkdown: string };
          versions = [version(2, input.bodyMarkdown), ...versions];
          return {
            data: {
              publishAgreementVersion: { __typename: 'PublishAgreementVersionPayload', agreementVersion: versions[0], userErrors: [] },
            },
          };
        }
        default:
          return { errors: [{ message: 'unexpected' }] };
      }
    });
    const router = testRouter([
      { path: '/agreements', name: 'agreements', component: { template: '<div />' } },
      { path: '/agreements/:id', name: 'agreement-detail', component: AgreementDetailPage, props: true },
    ]);
    await router.push('/agreements/AG');
    wrapper = mount(Host, { attachTo: document.body, global: appGlobals(client, router) });
    await settle();

    const buttonNamed = (text: string) => [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
    buttonNamed('Publish new version')?.click();
    await settle();
    const body = document.body.querySelector<HTMLTextAreaElement>('#agreement-body');
    expect(body?.value).toBe('Old text');
    body!.value = 'New text';
    body!.dispatchEvent(new Event('input'));
    document.body.querySelector('form')?.dispatchEvent(new Event('submit'));
    await settle();
    expect(document.body.textContent).toContain('Publish version 2?');
    expect(sent.filter((o) => o.operationName === 'PublishAgreementVersion')).toHaveLength(0);

    document.body.querySelector<HTMLButtonElement>('.p-confirmdialog-accept-button')?.click();
    await settle(10);
    expect(sent.filter((o) => o.operationName === 'PublishAgreementVersion').map((o) => o.variables.input)).toEqual([
      { agreementId: 'AG', bodyMarkdown: 'New text', requiresResign: true },
    ]);
    expect(document.body.querySelector('#agreement-body')).toBeNull();
    expect(document.body.textContent).toContain('Version 2 published');
  });
});
