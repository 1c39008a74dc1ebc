import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, type FakeRequest } from '@/testing/fake-api';
import { type Answer, appGlobals, settle } from '@/features/programs/test-helpers';
import IssueApiKeyDialog from './IssueApiKeyDialog.vue';

const SECRET = 'kpk_live_0123456789abcdef0123456789abcdef';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

function issued(operation: FakeRequest): Answer {
  if (operation.operationName !== 'CreatePartnerApiKey') return { errors: [{ message: 'unexpected' }] };
  const { label } = operation.variables.input as { label: string };
  return {
    data: {
      createPartnerApiKey: {
        __typename: 'CreatePartnerApiKeyPayload',
        apiKey: {
          __typename: 'PartnerApiKey',
          id: 'K1',
          label,
          prefix: 'kpk_live_0',
          createdAt: '2026-01-01T00:00:00Z',
          lastUsedAt: null,
          revokedAt: null,
        },
        secret: SECRET,
        userErrors: [],
      },
    },
  };
}

async function mountDialog(respond: (operation: FakeRequest) => Answer = issued) {
  const { client, requests: sent } = fakeClient(respond);
  wrapper = mount(IssueApiKeyDialog, {
    attachTo: document.body,
    props: { partnerId: 'PA1', partnerName: 'Northwind Employee Assistance' },
    // Real transitions: the dialog binds its Escape listener when its enter transition runs.
    global: { ...appGlobals(client), stubs: { transition: false } },
  });
  await settle();
  return { wrapper, sent };
}

// The dialog renders into document.body (PrimeVue's portal), so look there.
const $ = <T extends Element = HTMLElement>(selector: string) => document.body.querySelector<T>(selector);
const buttonNamed = (text: string) => [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

async function issueKey(label = 'production app') {
  const input = $<HTMLInputElement>('#api-key-label');
  if (!input) throw new Error('label input missing');
  input.value = label;
  input.dispatchEvent(new Event('input'));
  $('form')?.dispatchEvent(new Event('submit'));
  await settle();
}

describe('IssueApiKeyDialog', () => {
  it('asks what the key is for before sending anything', async () => {
    const { sent } = await mountDialog();
    $('form')?.dispatchEvent(new Event('submit'));
    await flushPromises();
    expect(sent).toHaveLength(0);
    expect($('#api-key-label-message')?.textContent).toBe('Enter what the key is for.');
  });

  it('can be dismissed with Escape or its close button before a key is issued', async () => {
    const { wrapper: w } = await mountDialog();
    expect($('.p-dialog-close-button')).not.toBeNull();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape' }));
    await settle();
    expect(w.emitted('close')).toHaveLength(1);
  });

  it('shows the secret once, with the warning, and only "I have stored the key" closes it', async () => {
    const { sent, wrapper: w } = await mountDialog();
    await issueKey();
    expect(sent.map((o) => o.variables.input)).toEqual([{ partnerId: 'PA1', label: 'production app' }]);
    expect($<HTMLInputElement>('#api-key-secret')?.value).toBe(SECRET);
    expect(document.body.textContent).toContain('This is the only time this key is shown.');
    // No close icon while the secret is on screen, and Escape does nothing.
    expect($('.p-dialog-close-button')).toBeNull();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape' }));
    await settle();
    expect(w.emitted('close')).toBeUndefined();

    buttonNamed('I have stored the key')?.click();
    await settle();
    expect(w.emitted('close')).toHaveLength(1);
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('copies the secret to the clipboard and says so', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await mountDialog();
    await issueKey();
    $('#api-key-copy')?.click();
    await settle();
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect($('#api-key-copy-status')?.textContent).toContain('Copied to the clipboard.');
  });

  it('selects the secret for a manual copy when the clipboard is refused', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) },
      configurable: true,
    });
    await mountDialog();
    await issueKey();
    $('#api-key-copy')?.click();
    await settle();
    expect($('#api-key-copy-status')?.textContent).toContain('press Ctrl+C');
  });

  it('keeps nothing of the secret anywhere the app persists', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const before = window.location.href;
    await mountDialog();
    await issueKey();
    expect(setItem).not.toHaveBeenCalled();
    expect(window.location.href).toBe(before);
    expect(document.cookie).not.toContain(SECRET);
  });

  it("shows the API's refusal next to the label", async () => {
    await mountDialog(() => ({
      data: {
        createPartnerApiKey: {
          __typename: 'CreatePartnerApiKeyPayload',
          apiKey: null,
          secret: null,
          userErrors: [{ __typename: 'UserError', code: 'TOO_LONG', field: ['input', 'label'], message: 'At most 100 characters.' }],
        },
      },
    }));
    await issueKey('a label');
    expect($('#api-key-label-message')?.textContent).toBe('At most 100 characters.');
    expect($('#api-key-secret')).toBeNull();
  });
});
