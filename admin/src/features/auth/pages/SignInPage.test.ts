import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { eventually, type FakeRequest, fakeClient } from '@/testing/fake-api';
import { mountWith } from '@/testing/mount';
import SignInPage from './SignInPage.vue';

const anonymous = { data: { viewer: { __typename: 'Viewer', role: 'ANONYMOUS', therapist: null } } };
const refused = (code: string, message: string) => ({
  data: {
    login: {
      __typename: 'LoginPayload',
      expiresAt: null,
      viewer: null,
      userErrors: [{ __typename: 'UserError', code, field: null, message }],
    },
  },
});

async function signInPage(answer: (request: FakeRequest) => unknown) {
  const { client, requests } = fakeClient((request) =>
    request.operationName === 'SessionViewer' ? anonymous : (answer(request) as never),
  );
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sign-in', component: SignInPage },
      { path: '/:rest(.*)*', component: { template: '<p>app</p>' } },
    ],
  });
  await router.push('/sign-in');
  const page = mountWith(SignInPage, client, {}, [router]);
  await flushPromises();
  return { page, requests, router };
}

async function submit(page: Awaited<ReturnType<typeof signInPage>>['page'], email: string, password: string) {
  await page.find('#sign-in-email').setValue(email);
  await page.find('#sign-in-password').setValue(password);
  await page.find('form').trigger('submit');
}

describe('SignInPage', () => {
  it('checks the email and password before sending anything', async () => {
    const { page, requests } = await signInPage(() => refused('INVALID_CREDENTIALS', 'x'));
    await submit(page, 'not-an-email', '');
    await flushPromises();
    expect(page.text()).toContain('Enter a valid email address.');
    expect(page.text()).toContain('Enter your password.');
    expect(requests.filter((r) => r.operationName === 'SignIn')).toHaveLength(0);
  });

  it('signs in with a cookie session and shows INVALID_CREDENTIALS', async () => {
    const { page, requests } = await signInPage(() => refused('INVALID_CREDENTIALS', 'The email or password is not correct.'));
    await submit(page, 'admin@kindred.test', 'wrong-password');
    await eventually(() => expect(page.text()).toContain('The email or password is not correct.'));
    const login = requests.find((r) => r.operationName === 'SignIn');
    expect(login?.variables.input).toEqual({ email: 'admin@kindred.test', password: 'wrong-password', useCookie: true });
    expect(login?.query).not.toContain('token');
  });

  it('shows RATE_LIMITED', async () => {
    const { page } = await signInPage(() => ({
      data: null,
      errors: [{ message: 'Too many attempts; try again in 42 s.', extensions: { code: 'RATE_LIMITED' } }],
    }));
    await submit(page, 'admin@kindred.test', 'whatever-password');
    await eventually(() => expect(page.text()).toContain('Too many attempts; try again in 42 s.'));
  });

  it('tells a member this app is not for them, and ends their session', async () => {
    const { page, requests } = await signInPage((request) =>
      request.operationName === 'SignOut'
        ? { data: { logout: { __typename: 'LogoutPayload', loggedOut: true, userErrors: [] } } }
        : {
            data: {
              login: {
                __typename: 'LoginPayload',
                expiresAt: null,
                viewer: { __typename: 'Viewer', role: 'MEMBER', therapist: null },
                userErrors: [],
              },
            },
          },
    );
    await submit(page, 'maya.alvarez@example.org', 'kindred-member-demo');
    await eventually(() => expect(page.text()).toContain('for Kindred administrators and therapists only'));
    expect(requests.map((r) => r.operationName)).toContain('SignOut');
  });

  it('goes on to the app when an admin signs in', async () => {
    const { page, router } = await signInPage(() => ({
      data: {
        login: {
          __typename: 'LoginPayload',
          expiresAt: null,
          viewer: { __typename: 'Viewer', role: 'ADMIN', therapist: null },
          userErrors: [],
        },
      },
    }));
    await submit(page, 'admin@kindred.test', 'kindred-admin-demo');
    await eventually(() => expect(router.currentRoute.value.path).toBe('/'));
  });
});
