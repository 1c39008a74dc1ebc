import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { eventually, type FakeRequest, fakeClient } from '@/testing/fake-api';
import { mountWith } from '@/testing/mount';
import PasswordLinkPage from './PasswordLinkPage.vue';

const answer = (field: string, userErrors: { code: string; field: string[] | null; message: string }[]) => ({
  data: {
    [field]: {
      __typename: `${field.charAt(0).toUpperCase()}${field.slice(1)}Payload`,
      done: userErrors.length ? null : true,
      userErrors: userErrors.map((e) => ({ __typename: 'UserError', ...e })),
    },
  },
});

async function openAt(url: string, kind: 'invitation' | 'reset' | 'claim', respond: (request: FakeRequest) => unknown) {
  const { client, requests } = fakeClient((request) => respond(request) as never);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:rest(.*)*', component: { template: '<p>elsewhere</p>' } }],
  });
  await router.push(url);
  const page = mountWith(PasswordLinkPage, client, { kind }, [router]);
  await flushPromises();
  return { page, requests, router };
}

async function choose(page: Awaited<ReturnType<typeof openAt>>['page'], password: string, again = password) {
  await page.find('#new-password').setValue(password);
  await page.find('#new-password-again').setValue(again);
  await page.find('form').trigger('submit');
}

const PASSWORD = 'correct horse battery staple';

describe('PasswordLinkPage', () => {
  it('takes the secret out of the address bar and sends it only with the chosen password', async () => {
    const { page, requests, router } = await openAt('/account/reset?from=mail#token=kat_secret-1', 'reset', () =>
      answer('resetPassword', []),
    );
    expect(router.currentRoute.value.fullPath).toBe('/account/reset?from=mail');
    expect(requests).toHaveLength(0);
    await choose(page, 'short', 'short');
    await flushPromises();
    expect(page.text()).toContain('Use at least 12 characters.');
    await choose(page, PASSWORD, `${PASSWORD}?`);
    await flushPromises();
    expect(page.text()).toContain('The two passwords differ.');
    expect(requests).toHaveLength(0);
    await choose(page, PASSWORD);
    await eventually(() => expect(page.text()).toContain('Your password is changed.'));
    expect(requests.map((r) => [r.operationName, r.variables])).toEqual([
      ['ResetPassword', { input: { token: 'kat_secret-1', password: PASSWORD } }],
    ]);
  });

  it('explains a used or expired link and offers a new password link', async () => {
    const { page } = await openAt('/account/invitation#token=kat_used', 'invitation', () =>
      answer('acceptInvitation', [
        {
          code: 'INVALID_TOKEN',
          field: ['input', 'token'],
          message: 'This link is not valid any more: it was used, it expired, or a newer one was sent.',
        },
      ]),
    );
    await choose(page, PASSWORD);
    await eventually(() => expect(page.text()).toContain('This link is not valid any more'));
    expect(page.text()).toContain('ask the administrator who invited you');
    expect(page.find('a[href="/account/forgot"]').exists()).toBe(true);
    expect(page.find('form').exists()).toBe(false);
  });

  it('says the link was incomplete when there is no secret, without asking the API', async () => {
    const { page, requests } = await openAt('/account/sign-in', 'claim', () => answer('claimMemberSignIn', []));
    expect(page.text()).toContain('the link was not complete');
    expect(page.find('form').exists()).toBe(false);
    expect(requests).toHaveLength(0);
  });

  it('tells a member that made its sign-in that this app is for staff', async () => {
    const { page } = await openAt('/account/sign-in#token=kat_member', 'claim', () => answer('claimMemberSignIn', []));
    await choose(page, PASSWORD);
    await eventually(() => expect(page.text()).toContain('Your Kindred sign-in is ready.'));
    expect(page.text()).toContain('for Kindred administrators and therapists only');
    expect(page.find('a[href="/sign-in"]').exists()).toBe(false);
  });
});
