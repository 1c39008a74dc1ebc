import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { eventually, type FakeRequest, fakeClient } from '@/testing/fake-api';
import { mountWith } from '@/testing/mount';
import SignInPage from './SignInPage.vue';

const anonymous = { data: { viewer: { __typename: 'Viewer', role: 'ANONYMOUS', therapist: null } } };
const refused = (code: string, message: string, field: string[] | null = null, setup: { secret: string; uri: string } | null = null) => ({
  data: {
    login: {
      __typename: 'LoginPayload',
      expiresAt: null,
      recoveryCodes: null,
      secondFactorSetup: setup && { __typename: 'SecondFactorSetup', ...setup },
      viewer: null,
      userErrors: [{ __typename: 'UserError', code, field, message }],
    },
  },
});
const admitted = (recoveryCodes: string[] | null = null) => ({
  data: {
    login: {
      __typename: 'LoginPayload',
      expiresAt: null,
      recoveryCodes,
      secondFactorSetup: null,
      viewer: { __typename: 'Viewer', role: 'ADMIN', therapist: null },
      userErrors: [],
    },
  },
});
const CODE_FIELD = ['input', 'oneTimeCode'];

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
                recoveryCodes: null,
                secondFactorSetup: null,
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
    const { page, router } = await signInPage(() => admitted());
    await submit(page, 'admin@kindred.test', 'kindred-admin-demo');
    await eventually(() => expect(router.currentRoute.value.path).toBe('/'));
  });

  it('asks for the code of an account with a second factor, and signs in with it', async () => {
    const { page, requests, router } = await signInPage((request) => {
      const code = request.variables.input.oneTimeCode;
      if (!code) return refused('ONE_TIME_CODE_REQUIRED', 'Enter the code from your authenticator app.', CODE_FIELD);
      return code === '123456' ? admitted() : refused('INVALID_ONE_TIME_CODE', 'This code is not right, or was already used.', CODE_FIELD);
    });
    await submit(page, 'admin@kindred.test', 'kindred-admin-demo');
    await eventually(() => expect(page.find('h1').text()).toBe('Enter your code'));
    // Moving on to the code is not a mistake: no message under the empty code box yet.
    expect(page.text()).not.toContain('Enter the code from your authenticator app.');
    await page.find('form').trigger('submit');
    await eventually(() => expect(page.text()).toContain('Enter the code.'));
    expect(requests.filter((r) => r.operationName === 'SignIn')).toHaveLength(1);
    await page.find('#sign-in-code').setValue('654321');
    await page.find('form').trigger('submit');
    await eventually(() => expect(page.text()).toContain('This code is not right, or was already used.'));
    await page.find('#sign-in-code').setValue(' 123456 ');
    await page.find('form').trigger('submit');
    await eventually(() => expect(router.currentRoute.value.path).toBe('/'));
    expect(requests.filter((r) => r.operationName === 'SignIn').map((r) => r.variables.input)).toEqual([
      { email: 'admin@kindred.test', password: 'kindred-admin-demo', useCookie: true },
      { email: 'admin@kindred.test', password: 'kindred-admin-demo', useCookie: true, oneTimeCode: '654321' },
      { email: 'admin@kindred.test', password: 'kindred-admin-demo', useCookie: true, oneTimeCode: '123456' },
    ]);
  });

  it('sets up the second factor where it is required, then shows the recovery codes before going on', async () => {
    const setup = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Kindred:admin%40kindred.test?secret=JBSW' };
    const { page, router } = await signInPage((request) =>
      request.variables.input.oneTimeCode === '123456'
        ? admitted(['aaaaa-bbbbb', 'ccccc-ddddd'])
        : refused('SECOND_FACTOR_SETUP_REQUIRED', 'Staff sign in with a second factor here.', CODE_FIELD, setup),
    );
    await submit(page, 'admin@kindred.test', 'kindred-admin-demo');
    await eventually(() => expect(page.find('h1').text()).toBe('Set up your second factor'));
    expect(page.find('[data-testid="second-factor-secret"]').text()).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(page.find('[data-testid="second-factor-uri"]').text()).toBe(setup.uri);
    await page.find('#sign-in-code').setValue('123456');
    await page.find('form').trigger('submit');
    await eventually(() =>
      expect(page.findAll('[data-testid="recovery-codes"] li').map((li) => li.text())).toEqual(['aaaaa-bbbbb', 'ccccc-ddddd']),
    );
    // Signed in, but the codes stay on screen until the person says they stored them.
    expect(router.currentRoute.value.path).toBe('/sign-in');
    const go = page.findAll('button').find((b) => b.text() === 'Continue to Kindred')!;
    expect(go.attributes('disabled')).toBeDefined();
    await page.find('#recovery-codes-stored').setValue(true);
    await go.trigger('click');
    await eventually(() => expect(router.currentRoute.value.path).toBe('/'));
  });
});
