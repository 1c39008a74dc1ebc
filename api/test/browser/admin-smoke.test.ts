/**
 * The admin app in real Chromium against a real API on real PostgreSQL: signing in, the main
 * screens rendered (screenshots in .artifacts/screenshots), no serious accessibility finding,
 * the identifier rule seen from the page (an admin's DOM never holds an identifier, the
 * group's therapist sees them), and the Content-Security-Policy the app is served under.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  expectNoPageProblems,
  newWatchedPage,
  pageProblems,
  screenshot,
  seriousAccessibilityFindings,
  signInPage,
  startAdminInChromium,
  stopAdminInChromium,
} from '../support/browser.js';
import { CSP_NONCE_PLACEHOLDER } from '../../src/app/server/admin-app.js';
import type { TestApp } from '../support/test-app.js';
import { SUBJECT_IDENTITY, type World } from '../support/world.js';

let app: TestApp;
let world: World;
let browser: Browser;
/** Pages of the running test: none may report a CSP violation, a console error or an uncaught exception. */
const opened: Page[] = [];

const PASSWORD = 'browser-test-password';
const IDENTIFIER_VALUES = [
  SUBJECT_IDENTITY.legalName,
  SUBJECT_IDENTITY.email,
  SUBJECT_IDENTITY.phone,
  SUBJECT_IDENTITY.emergencyContact.name,
  SUBJECT_IDENTITY.typedName,
];

const signIn = (email: string) => signInPage(browser, app.url, email, PASSWORD, { opened });

describe.skipIf(!browserAvailable)('admin app in Chromium', () => {
  beforeAll(async () => ({ app, world, browser } = await startAdminInChromium(PASSWORD)));
  afterAll(() => stopAdminInChromium(browser, app));
  afterEach(() => expectNoPageProblems(opened));

  it('signs an admin in with an httpOnly cookie and no token in storage', async () => {
    const page = await signIn('admin@kindred.test');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toMatch(/dashboard/i);
    const storage = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(storage).not.toMatch(/kss_/);
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([
      { name: 'kindred_session', httpOnly: true, sameSite: 'Strict' },
    ]);
    await screenshot(page, 'dashboard');
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
    await page.close();
  });

  it('never puts an identifier in the DOM of an admin, on the group roster or the members list', async () => {
    const page = await signIn('admin@kindred.test');
    for (const path of [`/groups/${world.groups.a.globalId}`, '/members', '/groups']) {
      await page.goto(`${app.url}${path}`);
      await page.waitForLoadState('networkidle');
      const html = await page.content();
      for (const value of IDENTIFIER_VALUES) expect(html).not.toContain(value);
    }
    await page.goto(`${app.url}/groups/${world.groups.a.globalId}`);
    await page.waitForLoadState('networkidle');
    expect(await page.content()).toContain('Rowan');
    await screenshot(page, 'group-detail-admin');
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
    await page.close();
  });

  it("shows the group's therapist the identifiers of its own group", async () => {
    const page = await signIn('lead.therapist@kindred.test');
    await page.goto(`${app.url}/groups/${world.groups.a.globalId}`);
    await expect.poll(async () => page.content(), { timeout: 10_000 }).toContain(SUBJECT_IDENTITY.legalName);
    await screenshot(page, 'group-detail-therapist');
    await page.close();
  });

  it('shows the sign-in notices (warning, information, error) with no serious accessibility finding', async () => {
    const page = await newWatchedPage(browser, { viewport: { width: 1280, height: 800 } });
    opened.push(page);
    const found: Record<string, unknown> = {};
    for (const [reason, text] of [
      ['expired', 'Your session has expired.'],
      ['signed-out', 'You have signed out.'],
      ['unreachable', 'Kindred could not be reached.'],
    ] as const) {
      await page.goto(`${app.url}/sign-in?reason=${reason}`);
      await expect.poll(() => page.locator('.p-message').getByText(text).isVisible(), { timeout: 10_000 }).toBe(true);
      found[reason] = await seriousAccessibilityFindings(page);
    }
    expect(found).toEqual({ expired: [], 'signed-out': [], unreachable: [] });
    await page.close();
  });

  it('serves the app under a strict Content-Security-Policy with a fresh style nonce per page, and Chromium enforces it', async () => {
    const nonces: string[] = [];
    let html = '';
    for (const path of ['/', `/groups/${world.groups.a.globalId}`]) {
      const response = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/]{22}==)'/.exec(policy)?.[1] ?? 'missing';
      expect(policy).toBe(
        `default-src 'self';script-src 'self';style-src 'self' 'nonce-${nonce}';img-src 'self' data:;` +
          `connect-src 'self';object-src 'none';frame-ancestors 'none';base-uri 'self';form-action 'self'`,
      );
      expect({
        type: response.headers.get('content-type'),
        sniffing: response.headers.get('x-content-type-options'),
        referrer: response.headers.get('referrer-policy'),
        framing: response.headers.get('x-frame-options'),
        caching: response.headers.get('cache-control'),
      }).toEqual({ type: 'text/html; charset=utf-8', sniffing: 'nosniff', referrer: 'no-referrer', framing: 'DENY', caching: 'no-store' });
      html = await response.text();
      expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
      expect(html).not.toContain(CSP_NONCE_PLACEHOLDER);
      nonces.push(nonce);
    }
    expect(new Set(nonces).size).toBe(2);

    // The app's files say what they are; the API's own answers carry none of the page's headers.
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    const asset = await fetch(`${app.url}${script}`);
    expect([asset.status, asset.headers.get('x-content-type-options')]).toEqual([200, 'nosniff']);
    const api = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect([api.status, api.headers.get('content-security-policy'), api.headers.get('x-content-type-options')]).toEqual([200, null, null]);

    // In Chromium: every screen visited in these tests ran without a violation (afterEach), the
    // policy arrives, PrimeVue's run-time <style> elements carry the page's nonce, and a <style>
    // without it is refused.
    const page = await signIn('admin@kindred.test');
    const response = await page.goto(`${app.url}/groups`);
    expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'self';script-src 'self';style-src 'self' 'nonce-/);
    await expect.poll(() => page.getByRole('link', { name: 'Group A' }).isVisible(), { timeout: 10_000 }).toBe(true);
    const styles = await page.evaluate<{ all: number; withNonce: number }>(
      `(() => { const all = [...document.querySelectorAll('style')]; return { all: all.length, withNonce: all.filter((s) => s.nonce).length }; })()`,
    );
    expect(styles.all).toBeGreaterThan(0);
    expect(styles.withNonce).toBe(styles.all);
    expect(pageProblems(page)).toEqual([]);
    const color = await page.evaluate<string>(
      `(() => { const s = document.createElement('style'); s.textContent = 'body { color: rgb(255, 0, 0) !important }'; document.head.append(s); return getComputedStyle(document.body).color; })()`,
    );
    expect(color).not.toBe('rgb(255, 0, 0)');
    await expect
      .poll(() => pageProblems(page).some((p) => p.includes('CSP violation: style-src-elem refused inline')), { timeout: 5_000 })
      .toBe(true);
    opened.splice(opened.indexOf(page), 1); // that violation was the point
    await page.close();
  });
});
