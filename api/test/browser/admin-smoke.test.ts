/**
 * The admin app in real Chromium against a real API on real PostgreSQL: signing in, the main
 * screens rendered (screenshots in .artifacts/screenshots), no serious accessibility finding,
 * and the identifier rule seen from the page: an admin's DOM never holds an identifier, the
 * group's therapist sees them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DIST, browserAvailable, launchChromium, screenshot, seriousAccessibilityFindings, setPassword } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld, SUBJECT_IDENTITY, type World } from '../support/world.js';

let app: TestApp;
let world: World;
let browser: Browser;

const PASSWORD = 'browser-test-password';
const IDENTIFIER_VALUES = [
  SUBJECT_IDENTITY.legalName,
  SUBJECT_IDENTITY.email,
  SUBJECT_IDENTITY.phone,
  SUBJECT_IDENTITY.emergencyContact.name,
  SUBJECT_IDENTITY.typedName,
];

async function signIn(email: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 });
  } catch (error) {
    await screenshot(page, `sign-in-failed-${email}`);
    throw error;
  }
  return page;
}

describe.skipIf(!browserAvailable)('admin app in Chromium', () => {
  beforeAll(async () => {
    app = await startTestApp({ adminDist: ADMIN_DIST });
    world = await buildWorld(app);
    await setPassword(app, 'admin@kindred.test', PASSWORD);
    await setPassword(app, 'lead.therapist@kindred.test', PASSWORD);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

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
});
