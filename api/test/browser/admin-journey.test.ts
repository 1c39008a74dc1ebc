/**
 * An admin's journey through the admin app in real Chromium against a real API on real
 * PostgreSQL: the group list (timed), creating and publishing a program, the main screens with
 * no serious accessibility finding, the identifier rule as a lead therapist sees it, and that
 * therapist recording attendance.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  expectNoPageProblems,
  screenshot,
  seriousAccessibilityFindings,
  signInPage,
  startAdminInChromium,
  stopAdminInChromium,
} from '../support/browser.js';
import type { TestApp } from '../support/test-app.js';
import { ANOTHER_IDENTITY, addMember, SUBJECT_IDENTITY, type World } from '../support/world.js';

let app: TestApp;
let world: World;
let browser: Browser;
/** Pages of the running test: none may report a CSP violation, a console error or an uncaught exception. */
const opened: Page[] = [];

const PASSWORD = 'browser-journey-password';
const POLL = { timeout: 10_000 };

const RESERVE = `mutation Reserve($input: ReserveSeatInput!) {
  reserveSeat(input: $input) { reservation { id status waitlistPosition } userErrors { code field } } }`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) {
  cancelReservation(input: $input) { reservation { status } userErrors { code field } } }`;
const PREVIEW = `query Preview($schedule: GroupScheduleInput!) { previewGroupSessions(schedule: $schedule) { position startsAt endsAt } }`;

/** A member referred by the referring partner who signed the world's agreement. */
async function signedMember(name: string): Promise<string> {
  return (await addMember(app, world, { displayName: name, signed: true })).globalId;
}

async function choose(page: Page, select: string, option: string, filter?: string): Promise<void> {
  await page.locator(select).click();
  if (filter) await page.locator('.p-select-overlay input.p-select-filter').fill(filter);
  await page.getByRole('option', { name: option, exact: true }).click();
  // Wait for the overlay's closing animation, so the next select's overlay is the only one.
  await expect.poll(() => page.locator('.p-select-overlay').count(), POLL).toBe(0);
}

const signIn = (email: string) => signInPage(browser, app.url, email, PASSWORD, { opened, defaultTimeoutMs: 10_000 });

describe.skipIf(!browserAvailable)('admin journey in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => ({ app, world, browser } = await startAdminInChromium(PASSWORD)));
  afterAll(() => stopAdminInChromium(browser, app));
  afterEach(() => expectNoPageProblems(opened));

  it('renders the group list for an admin, timed, with no serious accessibility finding', async () => {
    const page = await signIn('admin@kindred.test');
    const started = Date.now();
    await page.goto(`${app.url}/groups`);
    const firstRow = page.getByRole('link', { name: 'Group A' });
    await firstRow.waitFor({ state: 'visible', timeout: 10_000 });
    const elapsed = Date.now() - started;
    console.log(`group list rendered in ${elapsed} ms`);
    await expect.poll(() => page.getByRole('link', { name: 'Group B' }).isVisible(), POLL).toBe(true);
    await screenshot(page, 'groups');
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
    await page.close();
  });

  it('creates a program with two modules and publishes it', async () => {
    const page = await signIn('admin@kindred.test');
    await page.goto(`${app.url}/programs/new`);
    await page.locator('#program-title').fill('Journey Program');
    await page.locator('#program-summary').fill('A program made by the browser test.');
    await page.locator('#program-session-count').fill('2');
    await page.locator('#program-session-length').fill('90');
    for (const title of ['Opening', 'Closing']) {
      await page.getByRole('button', { name: 'Add module' }).click();
      await page
        .getByRole('listitem', { name: /^Module \d$/ })
        .last()
        .locator('input[id$="-title"]')
        .fill(title);
    }
    await page
      .getByRole('button', { name: 'Create program' })
      .click()
      .catch(async (e) => {
        await screenshot(page, 'program-create-failed');
        throw e;
      });
    await page.waitForURL(/\/programs\/(?!new)[^/]+$/, { timeout: 10_000 });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Publish' }).click();
    await expect
      .poll(
        async () => (await app.db.query<{ status: string }>(`select status from program where title = 'Journey Program'`))[0]?.status,
        POLL,
      )
      .toBe('PUBLISHED');
    const modules = await app.db.query<{ title: string }>(
      `select m.title from program_module m join program p on p.id = m.program_id where p.title = 'Journey Program' order by m.position`,
    );
    expect(modules.map((m) => m.title)).toEqual(['Opening', 'Closing']);
    await page.goto(`${app.url}/programs`);
    await expect.poll(() => page.getByText('Journey Program').first().isVisible(), POLL).toBe(true);
    await screenshot(page, 'programs');
    expect(await seriousAccessibilityFindings(page)).toEqual([]);
    await page.close();
  });

  it('creates a group through the UI, fills it through the API, shows its seats and waitlist, moves a reservation, signs out', async () => {
    const page = await signIn('admin@kindred.test');
    try {
      // The program of the previous test (published) – a group for it, through the form.
      await page.goto(`${app.url}/groups/new`);
      await page.locator('#group-title').fill('Journey Group');
      await choose(page, '#group-program', 'Journey Program');
      await choose(page, '#group-lead', 'Other Therapist');
      await page.locator('#group-capacity').fill('2');
      await choose(page, '#group-zone', 'Europe/London', 'Europe/London');
      const startsOn = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
      await page.locator('#group-starts-on').fill(startsOn);
      await page.keyboard.press('Escape');
      await choose(page, '#group-weekday', 'Monday');
      await page.locator('#group-start-time').click();
      // InputMask puts the caret at the start in an animation frame after focus: typing before
      // it lands scrambles the digits ("01:83"), so wait for the next frame.
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
      await page.locator('#group-start-time').pressSequentially('1830');
      await page.locator('#group-duration').fill('90');
      await page.locator('#group-sessions').fill('2');
      await page.locator('#group-title').click();

      const schedule = { timeZone: 'Europe/London', startsOn, weekday: 'MONDAY', startTime: '18:30', durationMinutes: 90, sessionCount: 2 };
      const planned = (await app.gql(PREVIEW, { variables: { schedule }, token: world.admin.token })).body.data.previewGroupSessions as {
        startsAt: string;
        endsAt: string;
      }[];
      expect(planned).toHaveLength(2);
      const expectedFirst = await page.evaluate(
        ([start, end]) => {
          const base = {
            timeZone: 'Europe/London',
            weekday: 'short',
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
          } as const;
          const local = new Intl.DateTimeFormat(undefined, base).format(new Date(start!));
          const endText = new Intl.DateTimeFormat(undefined, {
            ...base,
            weekday: undefined,
            day: undefined,
            month: undefined,
            year: undefined,
          }).format(new Date(end!));
          return `${local}–${endText}`;
        },
        [planned[0]!.startsAt, planned[0]!.endsAt],
      );
      const rows = page.locator('.schedule-preview__list li');
      await expect.poll(() => rows.count(), POLL).toBe(planned.length);
      await expect.poll(() => rows.first().locator('.schedule-preview__when').textContent(), POLL).toBe(expectedFirst);
      await screenshot(page, 'group-create');

      await page.getByRole('button', { name: 'Create draft group' }).click();
      await page.waitForURL(/\/groups\/(?!new)[^/]+$/, { timeout: 10_000 });
      const groupId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      await page.getByRole('button', { name: 'Open for reservations' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Open group' }).click();
      await expect
        .poll(
          async () => (await app.db.query<{ status: string }>(`select status from therapy_group where title = 'Journey Group'`))[0]?.status,
          POLL,
        )
        .toBe('OPEN');
      const [{ count }] = (await app.db.query<{ count: string }>(
        `select count(*) from group_session s join therapy_group g on g.id = s.group_id where g.title = 'Journey Group'`,
      )) as [{ count: string }];
      expect(Number(count)).toBe(2);

      // A partner reserves four seats in a group of two: two confirmed, two waiting in order.
      const names = ['Journey Ada', 'Journey Bo', 'Journey Cy', 'Journey Di'];
      const statuses: string[] = [];
      for (const name of names) {
        const memberId = await signedMember(name);
        const result = await app.gql(RESERVE, { variables: { input: { groupId, memberId } }, token: world.partners.referring.token });
        expect(result.body.data.reserveSeat.userErrors).toEqual([]);
        statuses.push(result.body.data.reserveSeat.reservation.status);
      }
      expect(statuses).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED']);

      await page.reload();
      const waitlist = page.getByRole('list', { name: 'Waitlist, first in line first' });
      await expect
        .poll(() => page.getByRole('img', { name: '2 of 2 seats taken (0 held), 2 waiting' }).first().isVisible(), POLL)
        .toBe(true);
      await expect.poll(() => page.getByRole('button', { name: 'Move Journey Ada', exact: true }).isVisible(), POLL).toBe(true);
      await expect.poll(() => page.getByRole('button', { name: 'Move Journey Bo', exact: true }).isVisible(), POLL).toBe(true);
      await screenshot(page, 'group-detail');
      await page.getByRole('tab', { name: /Waitlist/ }).click();
      await expect.poll(() => waitlist.locator('strong').allTextContents(), POLL).toEqual(['Journey Cy', 'Journey Di']);
      await screenshot(page, 'group-detail-waitlist');
      await page.getByRole('tab', { name: 'Roster' }).click();

      // Move Journey Ada to Group A (another program): Journey Cy takes the freed seat. The page
      // must follow without a reload: a marker on `window` would not survive one.
      await page.evaluate("window.journeyMarker = 'no reload'");
      await page.getByRole('button', { name: 'Move Journey Ada', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Move reservation' });
      // The label, not the visually hidden input: a forced click skips Playwright's wait for the
      // dialog's opening animation to settle and can land beside the moving box.
      await dialog.locator('label[for="move-same-program"]').click();
      await expect.poll(() => dialog.getByLabel('Only groups of the same program').isChecked(), POLL).toBe(false);
      await dialog.locator('#move-target').click();
      await page.getByRole('option', { name: /Group A/ }).click();
      await dialog.getByRole('button', { name: 'Move', exact: true }).click();
      await expect.poll(() => dialog.isVisible(), POLL).toBe(false);
      await expect.poll(() => page.getByText('Journey Ada → Group A: confirmed.').isVisible(), POLL).toBe(true);
      const [moved] = await app.db.query<{ title: string; status: string }>(
        `select g.title, r.status from reservation r join member m on m.id = r.member_id join therapy_group g on g.id = r.group_id
          where m.display_name = 'Journey Ada' and r.status in ('CONFIRMED', 'HELD', 'WAITLISTED')`,
      );
      expect(moved).toEqual({ title: 'Group A', status: 'CONFIRMED' });
      await expect
        .poll(() => page.getByRole('img', { name: '2 of 2 seats taken (0 held), 1 waiting' }).first().isVisible(), POLL)
        .toBe(true);
      await expect.poll(() => page.getByRole('button', { name: 'Move Journey Cy', exact: true }).isVisible(), POLL).toBe(true);
      await expect.poll(() => page.getByRole('button', { name: 'Move Journey Ada', exact: true }).count(), POLL).toBe(0);
      await expect.poll(() => page.getByRole('tab', { name: /Waitlist/ }).textContent(), POLL).toBe('Waitlist (1)');
      await page.getByRole('tab', { name: /Waitlist/ }).click();
      await expect.poll(() => waitlist.locator('strong').allTextContents(), POLL).toEqual(['Journey Di']);
      expect(await page.evaluate('window.journeyMarker')).toBe('no reload');
      await screenshot(page, 'group-detail-after-move');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in/, { timeout: 10_000 });
      await expect.poll(() => page.getByLabel('Email').isVisible(), POLL).toBe(true);
    } catch (error) {
      await screenshot(page, 'journey-failed');
      throw error;
    } finally {
      await page.close();
    }
  });

  it('renders the other main screens with no serious accessibility finding, cancelled and moved reservations included', async () => {
    // The members screen shows ended reservations: a cancelled one here with a red (danger) tag,
    // and the one the move above left behind as "Moved" (information, not a removal).
    const memberId = await signedMember('Journey Cleo');
    const reserved = await app.gql(RESERVE, {
      variables: { input: { groupId: world.groups.b.globalId, memberId } },
      token: world.partners.referring.token,
    });
    const cancelled = await app.gql(CANCEL, {
      variables: { input: { reservationId: reserved.body.data.reserveSeat.reservation.id } },
      token: world.partners.referring.token,
    });
    expect(cancelled.body.data.cancelReservation).toEqual({ reservation: { status: 'CANCELLED' }, userErrors: [] });

    const page = await signIn('admin@kindred.test');
    const found: Record<string, unknown> = {};
    for (const [path, name, text] of [
      ['/members', 'members', 'Journey Cleo'],
      ['/agreements', 'agreements', 'Confidentiality'],
      ['/therapists', 'therapists', 'Lead Therapist'],
      ['/partners', 'partners', 'Referring Clinic'],
    ] as const) {
      await page.goto(`${app.url}${path}`);
      await expect.poll(() => page.getByText(text).first().isVisible(), POLL).toBe(true);
      await page.waitForLoadState('networkidle');
      if (name === 'members') {
        const dangerTags = page.locator('.p-tag-danger');
        await expect.poll(() => dangerTags.filter({ hasText: 'Cancelled' }).isVisible(), POLL).toBe(true);
        await expect.poll(() => page.locator('.p-tag-info').filter({ hasText: 'Moved' }).first().isVisible(), POLL).toBe(true);
        expect(await page.locator('.p-tag').filter({ hasText: 'Removed' }).count()).toBe(0);
      }
      await screenshot(page, name);
      found[name] = await seriousAccessibilityFindings(page);
    }
    expect(found).toEqual({ members: [], agreements: [], therapists: [], partners: [] });
    await page.close();
  });

  it("shows a lead therapist its own group's identifiers and none of another therapist's group", async () => {
    const page = await signIn('lead.therapist@kindred.test');
    await page.goto(`${app.url}/groups/${world.groups.a.globalId}`);
    await expect.poll(() => page.content(), POLL).toContain(SUBJECT_IDENTITY.legalName);
    await page.goto(`${app.url}/groups/${world.groups.b.globalId}`);
    await page.waitForLoadState('networkidle');
    const html = await page.content();
    for (const value of [
      ANOTHER_IDENTITY.legalName,
      ANOTHER_IDENTITY.email,
      ANOTHER_IDENTITY.phone,
      ANOTHER_IDENTITY.emergencyContact.name,
    ]) {
      expect(html).not.toContain(value);
    }
    await screenshot(page, 'group-b-as-lead-therapist');
    await page.close();
  });

  it("lets the group's therapist record attendance in the grid, saved and shown again after a reload", async () => {
    // The grid records sessions that have started: bring the first session of Group A forward.
    await app.db.query(
      `update group_session set starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour' where group_id = $1 and position = 1`,
      [world.groups.a.id],
    );
    const page = await signIn('lead.therapist@kindred.test');
    try {
      await page.goto(`${app.url}/groups/${world.groups.a.globalId}`);
      await page.getByRole('tab', { name: 'Attendance' }).click();
      const rowan = page.getByRole('combobox', { name: 'Attendance of Rowan, session 1' });
      await expect.poll(() => rowan.isVisible(), POLL).toBe(true);
      // Sessions still to come are not recordable.
      expect(await page.getByRole('combobox', { name: 'Attendance of Rowan, session 2' }).count()).toBe(0);
      await rowan.click();
      await page.getByRole('option', { name: 'Late', exact: true }).click();

      const recorded = async () =>
        (
          await app.db.query<{ status: string; recorded_by_id: string }>(
            `select a.status, a.recorded_by_id from attendance a
               join group_session s on s.id = a.session_id join member m on m.id = a.member_id
              where s.group_id = $1 and s.position = 1 and m.display_name = 'Rowan'`,
            [world.groups.a.id],
          )
        )[0];
      await expect.poll(recorded, POLL).toEqual({ status: 'LATE', recorded_by_id: world.therapists.lead.id });
      const rate = page.locator('table.attendance tfoot td').first();
      await expect.poll(() => rate.textContent(), POLL).toBe('100%');
      expect(await page.locator('.p-toast-message-error').count()).toBe(0);

      await page.reload();
      await page.getByRole('tab', { name: 'Attendance' }).click();
      await expect.poll(() => rowan.textContent(), POLL).toBe('Late');
      await expect.poll(() => rate.textContent(), POLL).toBe('100%');
      await screenshot(page, 'group-attendance');
      expect(await seriousAccessibilityFindings(page)).toEqual([]);
    } catch (error) {
      await screenshot(page, 'attendance-failed');
      throw error;
    } finally {
      await page.close();
    }
  });
});
