import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ConfirmDialog from 'primevue/confirmdialog';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { RouterView } from 'vue-router';
import { fakeClient, type FakeRequest } from '@/testing/fake-api';
import { type Answer, appGlobals, settle, testRouter } from '../test-helpers';
import ProgramCreatePage from './ProgramCreatePage.vue';

// The page inside a RouterView, as in the app (its leave guard needs a route), with the
// confirmation dialog App.vue provides.
const Host = defineComponent({ render: () => [h(RouterView), h(ConfirmDialog)] });

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

const page = (typename: string, nodes: unknown[]) => ({
  __typename: typename,
  totalCount: nodes.length,
  pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
  nodes,
});

function options(operation: FakeRequest): Answer | undefined {
  if (operation.operationName === 'ProgramAgreementOptions') {
    return {
      data: { agreements: page('AgreementConnection', [{ __typename: 'Agreement', id: 'AG1', title: 'Group confidentiality agreement' }]) },
    };
  }
  if (operation.operationName === 'ProgramAuthorOptions') {
    return {
      data: {
        therapists: page('TherapistConnection', [
          { __typename: 'Therapist', id: 'T1', displayName: 'Dr. Amara Okafor', credentials: 'LCSW' },
        ]),
      },
    };
  }
  return undefined;
}

async function mountPage(createProgram: (input: Record<string, unknown>) => unknown) {
  const { client, requests: sent } = fakeClient((operation) => {
    const answer = options(operation);
    if (answer) return answer;
    if (operation.operationName === 'CreateProgram') {
      const payload = createProgram(operation.variables.input as Record<string, unknown>);
      return { data: { createProgram: payload && { __typename: 'ProgramPayload', ...payload } } };
    }
    return { errors: [{ message: 'unexpected', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
  });
  const stub = { template: '<div />' };
  const router = testRouter([
    { path: '/programs', name: 'programs', component: stub },
    { path: '/programs/new', name: 'program-new', component: ProgramCreatePage },
    { path: '/programs/:id', name: 'program-edit', component: stub },
  ]);
  await router.push('/programs/new');
  wrapper = mount(Host, { attachTo: document.body, global: appGlobals(client, router) });
  await settle();
  return { wrapper, sent, router };
}

const creates = (sent: FakeRequest[]) => sent.filter((o) => o.operationName === 'CreateProgram');
const messageOf = (w: VueWrapper, id: string) => w.find(`#${id}-message`).text();

describe('ProgramCreatePage', () => {
  it('checks the form before sending anything', async () => {
    const { wrapper: w, sent } = await mountPage(() => null);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(creates(sent)).toHaveLength(0);
    expect(messageOf(w, 'program-title')).toBe('Enter a title.');
    expect(messageOf(w, 'program-summary')).toBe('Enter a summary.');
    expect(w.text()).toContain('Please correct the highlighted fields.');
  });

  it("shows the API's userErrors next to the fields they name, modules included", async () => {
    const { wrapper: w, sent } = await mountPage(() => ({
      program: null,
      userErrors: [
        { __typename: 'UserError', code: 'TOO_LONG', field: ['input', 'title'], message: 'At most 200 characters.' },
        { __typename: 'UserError', code: 'REQUIRED', field: ['input', 'modules', '0', 'title'], message: 'Required.' },
        { __typename: 'UserError', code: 'NOT_FOUND', field: ['input', 'requiredAgreementId'], message: 'No agreement with this ID.' },
      ],
    }));
    await w.get('#program-title').setValue('Steady Ground');
    await w.get('#program-summary').setValue('Eight weeks of skills for anxious minds.');
    await w.get('#module-add').trigger('click');
    const moduleTitle = w.get('input[id^="module-"][id$="-title"]');
    await moduleTitle.setValue('Understanding the anxiety cycle');
    await w.get('form').trigger('submit');
    await settle();

    expect(creates(sent)).toHaveLength(1);
    expect(creates(sent)[0]?.variables.input).toMatchObject({
      title: 'Steady Ground',
      sessionCount: 8,
      sessionLengthMinutes: 90,
      modules: [{ title: 'Understanding the anxiety cycle', guidance: '', homeworkPrompt: '' }],
    });
    expect(messageOf(w, 'program-title')).toBe('At most 200 characters.');
    expect(messageOf(w, moduleTitle.attributes('id') ?? '')).toBe('Required.');
    expect(messageOf(w, 'program-agreement')).toBe('No agreement with this ID.');
  });

  it('opens the new program once it is created', async () => {
    const { wrapper: w, router } = await mountPage((input) => ({
      program: {
        __typename: 'Program',
        id: 'P9',
        title: input.title,
        summary: input.summary,
        description: '',
        status: 'DRAFT',
        focusAreas: [],
        sessionCount: 8,
        sessionLengthMinutes: 90,
        publishedAt: null,
        archivedAt: null,
        updatedAt: '2026-01-01T00:00:00Z',
        requiredAgreement: null,
        authors: [],
        modules: [],
      },
      userErrors: [],
    }));
    await w.get('#program-title').setValue('Steady Ground');
    await w.get('#program-summary').setValue('Eight weeks.');
    await w.get('form').trigger('submit');
    await settle();
    expect(router.currentRoute.value.fullPath).toBe('/programs/P9');
  });

  it('asks before leaving with unsaved changes, and stays when told to', async () => {
    const { wrapper: w, router } = await mountPage(() => null);
    await w.get('#program-title').setValue('Half-written');
    void router.push('/programs');
    await settle();
    expect(document.body.textContent).toContain('Leave without saving?');
    [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Stay')?.click();
    await settle();
    expect(router.currentRoute.value.fullPath).toBe('/programs/new');
  });

  it('leaves an untouched form without asking', async () => {
    const { router } = await mountPage(() => null);
    await router.push('/programs');
    expect(router.currentRoute.value.fullPath).toBe('/programs');
  });
});
