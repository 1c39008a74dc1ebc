import { flushPromises } from '@vue/test-utils';
import ConfirmationService from 'primevue/confirmationservice';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { eventually, type FakeRequest, fakeClient } from '@/testing/fake-api';
import { mountWith } from '@/testing/mount';
import AccountPage from './AccountPage.vue';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';

const session = (id: string, client: string, current: boolean) => ({
  __typename: 'SignInSession',
  id,
  client,
  signedInAt: '2026-12-03T09:00:00.000Z',
  expiresAt: '2026-12-03T21:00:00.000Z',
  lastUsedAt: current ? '2026-12-03T10:00:00.000Z' : null,
  secondFactor: false,
  current,
});

function account(state: { enabled: boolean; sessions: ReturnType<typeof session>[] }) {
  return {
    data: {
      viewer: {
        __typename: 'Viewer',
        role: 'ADMIN',
        signInEmail: 'admin@kindred.test',
        secondFactor: {
          __typename: 'SecondFactorStatus',
          enabled: state.enabled,
          required: false,
          recoveryCodesLeft: state.enabled ? 10 : 0,
        },
        signInSessions: state.sessions,
      },
    },
  };
}

const payload = (typename: string, fields: Record<string, unknown>) => ({ __typename: typename, ...fields, userErrors: [] });

async function accountPage(respond: (request: FakeRequest) => unknown) {
  const { client, requests } = fakeClient((request) => respond(request) as never);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: AccountPage }] });
  await router.push('/account');
  const page = mountWith(AccountPage, client, {}, [router, ConfirmationService]);
  await flushPromises();
  return { page, requests, count: (name: string) => requests.filter((r) => r.operationName === name).length };
}

const button = (page: Awaited<ReturnType<typeof accountPage>>['page'], name: string) =>
  page.findAll('button').find((b) => b.text() === name || b.attributes('aria-label')?.startsWith(name));

describe('AccountPage', () => {
  it('signs out another session and shows the list again without it', async () => {
    const state = { enabled: false, sessions: [session('s1', CHROME, true), session('s2', FIREFOX, false)] };
    const { page, requests, count } = await accountPage((request) => {
      if (request.operationName === 'RevokeSignInSession') {
        state.sessions = state.sessions.filter((s) => s.id !== request.variables.input.id);
        return { data: { revokeSignInSession: payload('RevokeSignInSessionPayload', { done: true }) } };
      }
      return account(state);
    });
    await eventually(() => expect(page.text()).toContain('Firefox on Windows'));
    expect(page.text()).toContain('You sign in with admin@kindred.test.');
    expect(page.text()).toContain('last used');
    expect(page.text()).toContain('not used since');
    expect(page.text()).toContain('This browser');
    // The current session has no button of its own: signing out here is the top bar's.
    expect(button(page, 'Sign out Chrome on Linux')).toBeUndefined();
    await button(page, 'Sign out Firefox on Windows')!.trigger('click');
    await eventually(() => expect(page.text()).not.toContain('Firefox on Windows'));
    expect(requests.find((r) => r.operationName === 'RevokeSignInSession')?.variables).toEqual({ input: { id: 's2' } });
    expect(count('AccountSettings')).toBe(2);
  });

  it('sets up the second factor: the key, a code, then the recovery codes once, and the status refreshed', async () => {
    const state = { enabled: false, sessions: [session('s1', CHROME, true)] };
    const setup = {
      __typename: 'SecondFactorSetup',
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      uri: 'otpauth://totp/Kindred:a?secret=JBSW',
    };
    const { page, requests, count } = await accountPage((request) => {
      if (request.operationName === 'BeginSecondFactorSetup') {
        return { data: { beginSecondFactorSetup: payload('SecondFactorSetupPayload', { secondFactorSetup: setup }) } };
      }
      if (request.operationName === 'ConfirmSecondFactorSetup') {
        state.enabled = true;
        return { data: { confirmSecondFactorSetup: payload('RecoveryCodesPayload', { recoveryCodes: ['aaaaa-bbbbb', 'ccccc-ddddd'] }) } };
      }
      return account(state);
    });
    await eventually(() => expect(page.find('[data-testid="second-factor-status"]').text()).toBe('Off'));
    await button(page, 'Set up second factor')!.trigger('click');
    await eventually(() =>
      expect(page.find('[data-testid="second-factor-secret"]').text()).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP'),
    );
    await page.find('form').trigger('submit');
    await flushPromises();
    expect(page.text()).toContain('Enter the code.');
    expect(count('ConfirmSecondFactorSetup')).toBe(0);
    await page.find('#setup-code').setValue(' 123456 ');
    await page.find('form').trigger('submit');
    await eventually(() =>
      expect(page.findAll('[data-testid="recovery-codes"] li').map((li) => li.text())).toEqual(['aaaaa-bbbbb', 'ccccc-ddddd']),
    );
    expect(requests.find((r) => r.operationName === 'ConfirmSecondFactorSetup')?.variables).toEqual({ input: { oneTimeCode: '123456' } });
    // The status behind the codes is asked again (the cache updater), and shows once they are put away.
    await eventually(() => expect(count('AccountSettings')).toBe(2));
    await page.find('#recovery-codes-stored').setValue(true);
    await button(page, 'Done')!.trigger('click');
    await eventually(() => expect(page.find('[data-testid="second-factor-status"]').text()).toBe('On'));
    expect(page.text()).toContain('You have 10 unused recovery codes.');
  });
});
