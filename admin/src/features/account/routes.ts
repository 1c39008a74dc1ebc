import type { RouteRecordRaw } from 'vue-router';

const passwordLink = () => import('./pages/PasswordLinkPage.vue');
const confirmLink = () => import('./pages/ConfirmLinkPage.vue');

/**
 * The pages behind the links Kindred mails (account.mail.ts in the API), and "forgot your
 * password": reached without signing in, outside the shell.
 */
export const publicRoutes: RouteRecordRaw[] = [
  {
    path: '/account/invitation',
    name: 'account-invitation',
    component: passwordLink,
    props: { kind: 'invitation' },
    meta: { public: true, title: 'Choose your password' },
  },
  {
    path: '/account/reset',
    name: 'account-reset',
    component: passwordLink,
    props: { kind: 'reset' },
    meta: { public: true, title: 'Set a new password' },
  },
  {
    path: '/account/sign-in',
    name: 'account-claim',
    component: passwordLink,
    props: { kind: 'claim' },
    meta: { public: true, title: 'Create your sign-in' },
  },
  {
    path: '/account/verify',
    name: 'account-verify',
    component: confirmLink,
    props: { kind: 'verify' },
    meta: { public: true, title: 'Confirm your address' },
  },
  {
    path: '/account/confirm-email',
    name: 'account-confirm-email',
    component: confirmLink,
    props: { kind: 'confirm-email' },
    meta: { public: true, title: 'Confirm your new address' },
  },
  {
    path: '/account/forgot',
    name: 'forgot-password',
    component: () => import('./pages/ForgotPasswordPage.vue'),
    meta: { public: true, title: 'Forgot your password' },
  },
];

/** The signed-in person's own account, inside the shell (every staff role). */
export const routes: RouteRecordRaw[] = [
  { path: '/account', name: 'account', component: () => import('./pages/AccountPage.vue'), meta: { title: 'Your account' } },
];
