/**
 * Real Chromium for the admin app's end-to-end tests: Debian's `chromium` driven by
 * playwright-core (no browser download). CI installs it with apt-get and sets CI=true, which
 * makes the browser tests mandatory; on a machine without it (a fresh laptop with only Node)
 * they are skipped with a message saying how to run them.
 */
import { emailIndex } from '@kindred/crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { hashPassword } from '../../src/authz/credentials.js';
import type { TestApp, TestAppOptions } from './test-app.js';
import { startWorld, type World } from './world.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ADMIN_DIST = fileURLToPath(new URL('../../../admin/dist', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../../.artifacts/screenshots', import.meta.url));

const required = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';
const missing = [
  existsSync(CHROMIUM_PATH) ? null : `Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`,
  existsSync(`${ADMIN_DIST}/index.html`) ? null : 'the admin build (pnpm --filter @kindred/admin build)',
].filter(Boolean);
if (missing.length > 0 && required) throw new Error(`Browser tests need ${missing.join(' and ')}.`);
if (missing.length > 0) console.warn(`Skipping browser tests: they need ${missing.join(' and ')}.`);

/** False when the browser tests must be skipped on this machine (never in CI). */
export const browserAvailable = missing.length === 0;

/** The flags a machine with a closed network needs (Chromium otherwise keeps calling Google's hosts). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

const problemsOf = new WeakMap<Page, string[]>();

/** Reports every Content-Security-Policy violation of the document as a console error. */
const REPORT_CSP_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) =>
  console.error('CSP violation: ' + e.effectiveDirective + ' refused ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample));`;

/**
 * A new page (in its own context) that records what a person never sees but must not happen:
 * Content-Security-Policy violations, console errors (failed requests among them) and uncaught
 * exceptions. Read them with `pageProblems`.
 */
export async function newWatchedPage(browser: Browser, options?: BrowserContextOptions): Promise<Page> {
  const page = await browser.newPage(options);
  const problems: string[] = [];
  problemsOf.set(page, problems);
  await page.addInitScript(REPORT_CSP_VIOLATIONS);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
  return page;
}

/** What a page from `newWatchedPage` recorded so far (see there). */
export function pageProblems(page: Page): string[] {
  const problems = problemsOf.get(page);
  if (!problems) throw new Error('pageProblems needs a page from newWatchedPage');
  return [...problems];
}

/** Writes `.artifacts/screenshots/<name>.png` (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page; returns serious and critical findings only. */
export async function seriousAccessibilityFindings(page: Page): Promise<AxeFinding[]> {
  // Colours are judged as painted: let enter transitions (a message fading in) finish first.
  await page.evaluate(
    'Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => null))).then(() => true)',
  );
  // Evaluated through the DevTools protocol, not added as an inline <script>, which the app's
  // Content-Security-Policy rightly refuses.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe.run();
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: v.impact as string,
      help: v.help as string,
      targets: (v.nodes as { target: string[] }[]).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Gives an account a real password so a person can sign in through the UI. */
export async function setPassword(app: TestApp, email: string, password: string): Promise<void> {
  await app.db.query('update account set password_hash = $2 where email_index = $1', [emailIndex(email), await hashPassword(password)]);
}

/**
 * A server serving the built admin app over the standard world, with both admins and the lead
 * therapist able to sign in with `password`, and Chromium to drive it. `options` go to the
 * server (e.g. `smtpUrl` to mail through a test mailbox).
 */
export async function startAdminInChromium(
  password: string,
  options: Omit<TestAppOptions, 'adminDist'> = {},
): Promise<{ app: TestApp; world: World; browser: Browser }> {
  const { app, world } = await startWorld({ ...options, adminDist: ADMIN_DIST });
  for (const email of ['admin@kindred.test', 'second.admin@kindred.test', 'lead.therapist@kindred.test'])
    await setPassword(app, email, password);
  return { app, world, browser: await launchChromium() };
}

/** Closes what startAdminInChromium started (either may be missing if it failed half-way). */
export async function stopAdminInChromium(browser: Browser | undefined, app: TestApp | undefined): Promise<void> {
  await browser?.close();
  await app?.close();
}

/** After each test: none of the pages it opened had a CSP violation, console error or uncaught exception. */
export function expectNoPageProblems(opened: Page[]): void {
  const problems = opened.flatMap(pageProblems);
  opened.length = 0;
  expect(problems).toEqual([]);
}

export interface SignInOptions {
  /** Pages opened here are pushed onto this list (for pageProblems after each test). */
  opened: Page[];
  /** Sets the page's default action timeout before signing in. */
  defaultTimeoutMs?: number;
}

/**
 * Opens a watched 1280×800 page, signs in through the sign-in form and waits to leave it; on
 * failure the page is screenshotted as `sign-in-failed-<email>`.
 */
export async function signInPage(browser: Browser, appUrl: string, email: string, password: string, options: SignInOptions): Promise<Page> {
  const page = await newWatchedPage(browser, { viewport: { width: 1280, height: 800 } });
  options.opened.push(page);
  if (options.defaultTimeoutMs) page.setDefaultTimeout(options.defaultTimeoutMs);
  await page.goto(`${appUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 });
  } catch (error) {
    await screenshot(page, `sign-in-failed-${email}`);
    throw error;
  }
  return page;
}
