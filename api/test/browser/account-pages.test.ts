/**
 * A staff member's own credentials in real Chromium against a real API whose job worker mails
 * through a real SMTP server (support/mailbox.ts): the invitation link chooses a password, the
 * forgotten-password link replaces it, the second factor is set up on /account and then asked
 * for at sign-in (and set up at sign-in where the installation requires one), and sessions are
 * signed out from the list. Every new page is checked with axe; no page may log a problem.
 */
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_DIST,
  browserAvailable,
  expectNoPageProblems,
  newWatchedPage,
  screenshot,
  seriousAccessibilityFindings,
  setPassword,
  signInPage,
  startAdminInChromium,
  stopAdminInChromium,
} from '../support/browser.js';
import { type Mailbox, startMailbox } from '../support/mailbox.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { World } from '../support/world.js';

let app: TestApp;
let world: World;
let browser: Browser;
let mailbox: Mailbox;
/** Pages of the running test: none may report a CSP violation, a console error or an uncaught exception. */
const opened: Page[] = [];

const PASSWORD = 'browser-account-password';
const NEW_PASSWORD = 'a brand new password, long enough';
const POLL = { timeout: 10_000 };
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`;

/** The code an authenticator shows now, or `stepsAhead` 30-second steps later (as second-factor.test.ts). */
const codeOf = (secret: string, stepsAhead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });

async function newPage(): Promise<Page> {
  const page = await newWatchedPage(browser, { viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  opened.push(page);
  return page;
}

/** Opens a mailed link as a person would: the page at its path, the secret in the fragment. */
async function openLink(mail: { path: string | null; token: string | null }): Promise<Page> {
  const page = await newPage();
  await page.goto(`${app.url}${mail.path}#token=${mail.token}`);
  // The page takes the secret out of the address bar and the history at once.
  await expect.poll(() => new URL(page.url()).hash, POLL).toBe('');
  expect(await page.evaluate('JSON.stringify(history.state)')).not.toContain(mail.token);
  return page;
}

async function choosePassword(page: Page, password: string, again = password): Promise<void> {
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password', { exact: true }).fill(again);
}

/** No serious axe finding (which waits for enter transitions), then a screenshot of the settled page. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  expect(await seriousAccessibilityFindings(page)).toEqual([]);
  await screenshot(page, name);
}

/** Fills in and sends the sign-in form (then: the app, a refusal, or the code step). */
async function signInUpToCode(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const works = async (token: string) => (await app.gql('{ viewer { role } }', { token })).status;

describe.skipIf(!browserAvailable)('account pages in Chromium', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    mailbox = await startMailbox();
    ({ app, world, browser } = await startAdminInChromium(PASSWORD, { smtpUrl: mailbox.url }));
  });
  afterAll(async () => {
    await stopAdminInChromium(browser, app);
    await mailbox?.stop();
  });
  afterEach(() => expectNoPageProblems(opened));

  it('lets an invited therapist choose a password from the mailed link, and sign in once a second admin approved it', async () => {
    const email = 'invited.therapist@kindred.test';
    const created = await app.gql(
      `mutation($input: CreateTherapistInput!) { createTherapist(input: $input) { therapist { id } userErrors { code } } }`,
      {
        token: world.admin.token,
        variables: { input: { email, displayName: 'Dr. Invited', credentials: 'LCSW', timeZone: 'Europe/London' } },
      },
    );
    expect(created.body.data.createTherapist.userErrors).toEqual([]);
    const therapistId = created.body.data.createTherapist.therapist.id as string;
    const invitation = await mailbox.waitFor(email, { subject: /invited/ });
    expect(invitation.path).toBe('/account/invitation');

    const page = await openLink(invitation);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await expectAccessible(page, 'account-invitation');
    // Checked before anything is sent: the API's minimum length, and the same password twice.
    await choosePassword(page, 'too short', 'too short');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Use at least 12 characters.').waitFor();
    await choosePassword(page, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('The two passwords differ.').waitFor();
    await choosePassword(page, NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('Your password is saved.').waitFor();
    await expectAccessible(page, 'account-invitation-done');

    // The link works once: opened again, it says so and offers a new password link.
    const again = await openLink(invitation);
    await choosePassword(again, NEW_PASSWORD);
    await again.getByRole('button', { name: 'Save password' }).click();
    await again.getByText(/not valid any more/).waitFor();
    expect(await again.getByRole('link', { name: 'ask for a new password link' }).getAttribute('href')).toBe('/account/forgot');
    await expectAccessible(again, 'account-invitation-used');

    const approved = await app.gql(`mutation($input: ApproveTherapistInput!) { approveTherapist(input: $input) { userErrors { code } } }`, {
      token: world.secondAdmin.token,
      variables: { input: { therapistId } },
    });
    expect(approved.body.data.approveTherapist.userErrors).toEqual([]);
    const signedIn = await signInPage(browser, app.url, email, NEW_PASSWORD, { opened, defaultTimeoutMs: 10_000 });
    await signedIn.getByText('Dr. Invited').first().waitFor();
  });

  it('sets a new password from the forgot-password page’s mailed link; the old one stops working', async () => {
    const email = 'lead.therapist@kindred.test';
    const page = await newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/\/account\/forgot$/);
    await expectAccessible(page, 'account-forgot');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(`If ${email} belongs to a Kindred account`).waitFor();
    // The same neutral answer for an address without an account, and no mail goes there.
    await page.getByRole('button', { name: 'Ask again' }).click();
    await page.getByLabel('Email').fill('nobody.here@example.org');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If nobody.here@example.org belongs to a Kindred account').waitFor();
    await expectAccessible(page, 'account-forgot-sent');

    const reset = await mailbox.waitFor(email, { subject: /password/ });
    expect(reset.path).toBe('/account/reset');
    const resetPage = await openLink(reset);
    await choosePassword(resetPage, NEW_PASSWORD);
    await expectAccessible(resetPage, 'account-reset');
    await resetPage.getByRole('button', { name: 'Set password' }).click();
    await resetPage.getByText('Your password is changed.').waitFor();
    expect(mailbox.to('nobody.here@example.org')).toEqual([]);
    // Every earlier session of the account ended with the reset.
    expect(await works(world.therapists.lead.token)).toBe(401);

    const old = await newPage();
    await signInUpToCode(old, email, PASSWORD);
    await old.getByText('The email or password is not correct.').waitFor();
    await signInPage(browser, app.url, email, NEW_PASSWORD, { opened, defaultTimeoutMs: 10_000 });
  });

  it('sets up the second factor on the account page, then asks for its code at the next sign-in', async () => {
    const page = await signInPage(browser, app.url, 'admin@kindred.test', PASSWORD, { opened, defaultTimeoutMs: 10_000 });
    await page.getByRole('link', { name: /Administrator/ }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expect.poll(() => page.getByTestId('second-factor-status').textContent(), POLL).toBe('Off');
    await expectAccessible(page, 'account');

    await page.getByRole('button', { name: 'Set up second factor' }).click();
    const secret = ((await page.getByTestId('second-factor-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    await expectAccessible(page, 'account-second-factor-setup');
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText(/This code is not right/).waitFor();
    await page.getByLabel('Code from the app').fill(await codeOf(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await expect.poll(() => codes.count(), POLL).toBe(10);
    await expectAccessible(page, 'account-recovery-codes');
    const done = page.getByRole('button', { name: 'Done' });
    expect(await done.isDisabled()).toBe(true);
    await page.getByLabel('I have stored these codes somewhere safe').check();
    await done.click();
    await expect.poll(() => page.getByTestId('second-factor-status').textContent(), POLL).toBe('On');
    await page.getByText('You have 10 unused recovery codes.').waitFor();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await signInUpToCode(page, 'admin@kindred.test', PASSWORD);
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    await expectAccessible(page, 'sign-in-code');
    await page.getByLabel('Code', { exact: true }).fill(await codeOf(secret, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  it('signs out another session from the list, then every other one', async () => {
    const email = 'second.admin@kindred.test';
    await setPassword(app, email, PASSWORD);
    const firefox = await app.gql(LOGIN, { variables: { input: { email, password: PASSWORD } }, headers: { 'user-agent': FIREFOX } });
    const firefoxToken = firefox.body.data.login.token as string;
    const page = await signInPage(browser, app.url, email, PASSWORD, { opened, defaultTimeoutMs: 10_000 });
    // On a phone's width the top bar keeps the way to the account page (the icon, named for screen readers).
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('link', { name: /Administrator/ }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await expectAccessible(page, 'account-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    const sessions = page.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem');
    // This browser, the Firefox sign-in, and the world's own session of this admin.
    await expect.poll(() => sessions.count(), POLL).toBe(3);
    await page.getByText('This browser').waitFor();
    await expectAccessible(page, 'account-sessions');

    await page.getByRole('button', { name: /^Sign out Firefox on Windows/ }).click();
    await expect.poll(() => works(firefoxToken), POLL).toBe(401);
    await expect.poll(() => sessions.count(), POLL).toBe(2);
    expect(await works(world.secondAdmin.token)).toBe(200);

    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect.poll(() => works(world.secondAdmin.token), POLL).toBe(401);
    await expect.poll(() => sessions.count(), POLL).toBe(1);
    // This browser is still signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
  });

  it('changes the sign-in address from the account page once the new inbox confirms it', async () => {
    const email = 'other.therapist@kindred.test';
    const moved = 'moved.therapist@example.org';
    await setPassword(app, email, PASSWORD);
    const page = await signInPage(browser, app.url, email, PASSWORD, { opened, defaultTimeoutMs: 10_000 });
    await page.goto(`${app.url}/account`);
    await page.getByLabel('New address').fill(moved);
    await page.getByLabel('Current password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByText('The password is not correct.').waitFor();
    await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.getByText(`Check the inbox of ${moved}`).waitFor();
    await expectAccessible(page, 'account-change-email');

    // The current address is told; the link goes to the new one.
    await mailbox.waitFor(email, { subject: /being changed/ });
    const link = await mailbox.waitFor(moved, { subject: /new Kindred sign-in address/ });
    expect(link.path).toBe('/account/confirm-email');
    const confirmPage = await openLink(link);
    await expectAccessible(confirmPage, 'account-confirm-email');
    await confirmPage.getByRole('button', { name: 'Confirm new address' }).click();
    await confirmPage.getByText('Your new sign-in address is confirmed').waitFor();
    await expectAccessible(confirmPage, 'account-confirm-email-done');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await signInUpToCode(page, email, PASSWORD);
    await page.getByText('The email or password is not correct.').waitFor();
    await signInPage(browser, app.url, moved, PASSWORD, { opened, defaultTimeoutMs: 10_000 });
  });

  it('sets the second factor up at sign-in where staff must use one, and shows the recovery codes once', async () => {
    const required = await startTestApp({ database: app.db, adminDist: ADMIN_DIST, staffSecondFactor: 'required' });
    try {
      const email = 'co.therapist@kindred.test';
      await setPassword(app, email, PASSWORD);
      const page = await newPage();
      await page.goto(`${required.url}/sign-in`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Set up your second factor' }).waitFor();
      const secret = ((await page.getByTestId('second-factor-secret').textContent()) ?? '').replace(/\s+/g, '');
      expect(await page.getByTestId('second-factor-uri').textContent()).toContain(`secret=${secret}`);
      await expectAccessible(page, 'sign-in-second-factor-setup');
      await page.getByLabel('Code from the app').fill(await codeOf(secret));
      await page.getByRole('button', { name: 'Turn on and sign in' }).click();
      await expect.poll(() => page.getByTestId('recovery-codes').getByRole('listitem').count(), POLL).toBe(10);
      await expectAccessible(page, 'sign-in-recovery-codes');
      await page.getByLabel('I have stored these codes somewhere safe').check();
      await page.getByRole('button', { name: 'Continue to Kindred' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto(`${required.url}/account`);
      await expect.poll(() => page.getByTestId('second-factor-status').textContent(), POLL).toBe('On');
      await page.getByText('cannot be removed').waitFor();
      await page.close();
    } finally {
      await required.close();
    }
  });

  it('tells a person whose member sign-in link is not valid any more what to do', async () => {
    const page = await openLink({ path: '/account/sign-in', token: 'kat_not-a-real-link' });
    await page.getByRole('heading', { name: 'Create your Kindred sign-in' }).waitFor();
    await choosePassword(page, NEW_PASSWORD);
    await page.getByRole('button', { name: 'Create sign-in' }).click();
    await page.getByText(/not valid any more/).waitFor();
    await expectAccessible(page, 'account-claim-refused');
    // Without any secret, the page says the link was incomplete before anything is sent.
    await page.goto(`${app.url}/account/verify`);
    await page.getByText(/the link was not complete/).waitFor();
    await expectAccessible(page, 'account-verify-incomplete');
  });
});
