/**
 * Staff accounts and the staff action log in the admin app, in real Chromium against a real API
 * on real PostgreSQL, with mail through a real SMTP server (support/mailbox.ts): an admin invites
 * a therapist and an admin through the UI, the invitees accept from their mailbox, the inviting
 * admin's own approval is refused on screen, a second admin approves; the Activity page and the
 * group and therapist activity panels show those actions with their actors, each panel its own
 * subject only; a therapist's Activity page holds only its own groups' actions. Every new page
 * is checked for serious accessibility findings.
 */
import { emailIndex } from '@kindred/crypto';
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
import { type Mailbox, startMailbox } from '../support/mailbox.js';
import type { TestApp } from '../support/test-app.js';
import type { World } from '../support/world.js';

let app: TestApp;
let world: World;
let browser: Browser;
let mailbox: Mailbox;
/** Pages of the running test: none may report a CSP violation, a console error or an uncaught exception. */
const opened: Page[] = [];

const PASSWORD = 'staff-activity-password';
const POLL = { timeout: 10_000 };
const ADMIN = 'admin@kindred.test';
const SECOND_ADMIN = 'second.admin@kindred.test';
const THERAPIST_EMAIL = 'invited.therapist@kindred.test';
const THERAPIST_NAME = 'Dr. Ines Invited';
const NEW_ADMIN = 'new.admin@kindred.test';
const REFUSAL = 'Another admin than the one who invited this account must approve it.';

const UPDATE_GROUP = `mutation Update($input: UpdateGroupInput!) { updateGroup(input: $input) { userErrors { code } } }`;
const ACCEPT = `mutation Accept($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { done userErrors { code } } }`;

const signIn = (email: string) => signInPage(browser, app.url, email, PASSWORD, { opened, defaultTimeoutMs: 10_000 });

/** The invitee's side: the link from its mailbox, accepted with a password of its own. */
async function acceptInvitation(email: string): Promise<void> {
  const mail = await mailbox.waitFor(email, { subject: /invited/ });
  const accepted = await app.gql(ACCEPT, { variables: { input: { token: mail.token, password: PASSWORD } } });
  expect(accepted.body.data.acceptInvitation).toEqual({ done: true, userErrors: [] });
}

/** The DOM node shape the row reader needs (the API's TypeScript has no DOM library). */
interface DomNode {
  nodeType: number;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** The text of each row of a DataTable (by its aria-label), cells separated by " | "; expansions left out. */
async function rowsOf(page: Page, table: string): Promise<string[]> {
  const rows = page.locator(`[aria-label="${table}"] .p-datatable-tbody > tr:not(.p-datatable-row-expansion)`);
  // Runs in the page: each cell's text nodes joined by spaces (buttons and links apart from the text beside them).
  const texts = await rows.evaluateAll((trs) =>
    trs.map((tr) =>
      Array.from(tr.children)
        .map((td) => {
          const words: string[] = [];
          const walk = (node: DomNode): void => {
            if (node.nodeType === 3) words.push(node.nodeValue ?? '');
            else Array.from(node.childNodes).forEach(walk);
          };
          walk(td as unknown as DomNode);
          return words.join(' ').replace(/\s+/g, ' ').trim();
        })
        .join(' | '),
    ),
  );
  return texts.filter((text) => text !== 'No actions recorded here.');
}

/** An action row as rowsOf reads it (time and details button left out). */
const actionRow = (actor: string, kind: string, action: string, outcome: string, subject: string) =>
  expect.stringMatching(
    new RegExp(
      `\\| ${actor.replace(/\./g, '\\.')} ${kind}( Only this actor)? \\| ${action} \\| ${outcome} \\| ${subject}( Only this subject)?$`,
    ),
  );

/**
 * No serious accessibility finding on the page as it stands once loaded. Toasts are dismissed
 * first: Aura's translucent toast over a table is judged against whatever text lies beneath it.
 */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  for (const close of await page.locator('.p-toast-close-button').all()) await close.click({ timeout: 2_000 }).catch(() => undefined);
  await expect.poll(() => page.locator('.p-toast-message').count(), POLL).toBe(0);
  await screenshot(page, name);
  expect(await seriousAccessibilityFindings(page)).toEqual([]);
}

describe.skipIf(!browserAvailable)('staff accounts and activity in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    mailbox = await startMailbox();
    ({ app, world, browser } = await startAdminInChromium(PASSWORD, { smtpUrl: mailbox.url }));
    // One admin action on each group: the panels and the therapist's log must keep them apart.
    for (const [group, capacity] of [
      [world.groups.a, 12],
      [world.groups.b, 11],
    ] as const) {
      const updated = await app.gql(UPDATE_GROUP, { variables: { input: { id: group.globalId, capacity } }, token: world.admin.token });
      expect(updated.body.data.updateGroup.userErrors).toEqual([]);
    }
  });
  afterAll(async () => {
    await stopAdminInChromium(browser, app);
    await mailbox?.stop();
  });
  afterEach(() => expectNoPageProblems(opened));

  it('lets an admin invite a therapist, who accepts by mail; the inviting admin’s approval is refused on screen', async () => {
    const page = await signIn(ADMIN);
    try {
      await page.goto(`${app.url}/therapists/new`);
      await page.locator('#therapist-email').fill(THERAPIST_EMAIL);
      await page.locator('#therapist-name').fill(THERAPIST_NAME);
      await page.locator('#therapist-credentials').fill('Licensed Psychotherapist');
      await page.locator('#therapist-time-zone').click();
      await page.locator('.p-select-overlay input.p-select-filter').fill('Europe/London');
      await page.getByRole('option', { name: 'Europe/London', exact: true }).click();
      await page.getByRole('button', { name: 'Invite therapist' }).click();
      await page.waitForURL(/\/therapists\/(?!new)[^/]+$/, POLL);
      await expect.poll(() => page.getByText('Invitation mailed').isVisible(), POLL).toBe(true);
      await expect.poll(() => page.locator('.p-tag').filter({ hasText: 'Invited' }).isVisible(), POLL).toBe(true);
      expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

      await acceptInvitation(THERAPIST_EMAIL);
      await page.reload();
      await expect.poll(() => page.locator('.p-tag').filter({ hasText: 'Awaiting approval' }).isVisible(), POLL).toBe(true);
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(() => page.getByRole('alert').filter({ hasText: REFUSAL }).isVisible(), POLL).toBe(true);
      await expect.poll(() => page.locator('.p-tag').filter({ hasText: 'Awaiting approval' }).isVisible(), POLL).toBe(true);
      const [account] = await app.db.query<{ approved_at: Date | null }>('select approved_at from account where email_index = $1', [
        emailIndex(THERAPIST_EMAIL),
      ]);
      expect(account).toEqual({ approved_at: null });
      await expectAccessible(page, 'therapist-detail-refused');
    } catch (error) {
      await screenshot(page, 'staff-activity-invite-failed');
      throw error;
    }
    await page.close();
  });

  it('lets a second admin approve the therapist from the list; its page then shows the actions about it only', async () => {
    const page = await signIn(SECOND_ADMIN);
    try {
      await page.goto(`${app.url}/therapists`);
      const row = page.getByRole('row').filter({ hasText: THERAPIST_NAME });
      await expect.poll(() => row.locator('.p-tag').textContent(), POLL).toBe('Awaiting approval');
      await row.getByRole('button', { name: `Approve ${THERAPIST_NAME}` }).click();
      await expect.poll(() => row.locator('.p-tag').textContent(), POLL).toBe('Active');
      expect(await row.getByRole('button', { name: /Approve/ }).count()).toBe(0);
      await expectAccessible(page, 'therapists-after-approval');

      await row.getByRole('link', { name: THERAPIST_NAME }).click();
      await page.waitForURL(/\/therapists\/(?!new)[^/]+$/, POLL);
      const panel = 'Actions about this therapist';
      await expect
        .poll(() => rowsOf(page, panel), POLL)
        .toEqual([
          actionRow(SECOND_ADMIN, 'Admin', 'Approve therapist', 'Done', 'Therapist'),
          // The inviting admin's refused approval is filed under the therapist its input named.
          actionRow(ADMIN, 'Admin', 'Approve therapist', 'Refused', 'Therapist'),
          actionRow(ADMIN, 'Admin', 'Create therapist', 'Done', 'Therapist'),
        ]);
      await page
        .getByRole('button', { name: /^Details of Approve therapist/ })
        .first()
        .click();
      const details = page.locator('.activity-details');
      await expect.poll(() => details.getByRole('rowheader', { name: 'approvedAt' }).isVisible(), POLL).toBe(true);
      const [action] = await app.db.query<{ request_id: string }>(
        `select request_id from staff_action where action = 'approveTherapist' and outcome = 'DONE'`,
      );
      await expect.poll(() => details.getByText(action!.request_id).isVisible(), POLL).toBe(true);
      await expect.poll(() => page.locator('[aria-label="Assignments"]').textContent(), POLL).toContain('No assignments.');
      await expectAccessible(page, 'therapist-detail');
    } catch (error) {
      await screenshot(page, 'staff-activity-approve-failed');
      throw error;
    }
    await page.close();
  });

  it('invites and approves an admin on the Admins page, refusing the inviter’s own approval', async () => {
    const page = await signIn(ADMIN);
    const row = page.getByRole('row').filter({ hasText: NEW_ADMIN });
    try {
      await page.goto(`${app.url}/admins`);
      await expect.poll(() => page.getByRole('row').filter({ hasText: SECOND_ADMIN }).isVisible(), POLL).toBe(true);
      await expectAccessible(page, 'admins');
      await page.getByLabel('Email').fill(NEW_ADMIN);
      await page.getByRole('button', { name: 'Invite admin' }).click();
      await expect.poll(() => page.getByText(`An invitation went to ${NEW_ADMIN}.`, { exact: false }).isVisible(), POLL).toBe(true);
      await expect.poll(() => row.locator('.p-tag').textContent(), POLL).toBe('Invited');

      await acceptInvitation(NEW_ADMIN);
      await page.reload();
      await expect.poll(() => row.locator('.p-tag').textContent(), POLL).toBe('Awaiting approval');
      await row.getByRole('button', { name: `Approve ${NEW_ADMIN}` }).click();
      await expect.poll(() => page.getByRole('alert').filter({ hasText: REFUSAL }).isVisible(), POLL).toBe(true);
      await expect.poll(() => row.locator('.p-tag').textContent(), POLL).toBe('Awaiting approval');
      await page.close();

      const second = await signIn(SECOND_ADMIN);
      await second.goto(`${app.url}/admins`);
      const secondRow = second.getByRole('row').filter({ hasText: NEW_ADMIN });
      await secondRow.getByRole('button', { name: `Approve ${NEW_ADMIN}` }).click();
      await expect.poll(() => secondRow.locator('.p-tag').textContent(), POLL).toBe('Active');
      await expect.poll(() => secondRow.textContent(), POLL).toContain(`by ${SECOND_ADMIN}`);
      await second.close();
    } catch (error) {
      await screenshot(page, 'staff-activity-admins-failed');
      throw error;
    }
  });

  it('shows every action on the Activity page with its actor, and narrows it to one actor', async () => {
    const page = await signIn(ADMIN);
    try {
      await page.goto(`${app.url}/activity`);
      const table = 'Staff actions';
      await expect
        .poll(() => rowsOf(page, table), POLL)
        .toEqual([
          actionRow(SECOND_ADMIN, 'Admin', 'Approve admin', 'Done', 'Admin'),
          actionRow(ADMIN, 'Admin', 'Approve admin', 'Refused', 'Admin'),
          actionRow(ADMIN, 'Admin', 'Invite admin', 'Done', 'Admin'),
          actionRow(SECOND_ADMIN, 'Admin', 'Approve therapist', 'Done', 'Therapist'),
          actionRow(ADMIN, 'Admin', 'Approve therapist', 'Refused', 'Therapist'),
          actionRow(ADMIN, 'Admin', 'Create therapist', 'Done', 'Therapist'),
          actionRow(ADMIN, 'Admin', 'Update group', 'Done', 'Group'),
          actionRow(ADMIN, 'Admin', 'Update group', 'Done', 'Group'),
        ]);
      await expectAccessible(page, 'activity');

      await page
        .getByRole('row')
        .filter({ hasText: 'Approve therapist' })
        .filter({ hasText: SECOND_ADMIN })
        .getByRole('button', { name: 'Only this actor' })
        .click();
      await page.waitForURL(/[?&]actor=/, POLL);
      await expect
        .poll(() => rowsOf(page, table), POLL)
        .toEqual([
          actionRow(SECOND_ADMIN, 'Admin', 'Approve admin', 'Done', 'Admin'),
          actionRow(SECOND_ADMIN, 'Admin', 'Approve therapist', 'Done', 'Therapist'),
        ]);
      // The filter is in the URL: a reload keeps it.
      await page.reload();
      await expect.poll(async () => (await rowsOf(page, table)).length, POLL).toBe(2);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect.poll(async () => (await rowsOf(page, table)).length, POLL).toBe(8);
    } catch (error) {
      await screenshot(page, 'staff-activity-log-failed');
      throw error;
    }
    await page.close();
  });

  it("shows on a group's Activity tab only the actions that touched that group", async () => {
    const page = await signIn(ADMIN);
    try {
      for (const [group, name] of [
        [world.groups.a, 'group-a'],
        [world.groups.b, 'group-b'],
      ] as const) {
        await page.goto(`${app.url}/groups/${group.globalId}`);
        await page.getByRole('tab', { name: 'Activity' }).click();
        await expect
          .poll(() => rowsOf(page, 'Actions that touched this group'), POLL)
          .toEqual([actionRow(ADMIN, 'Admin', 'Update group', 'Done', 'Group')]);
        await page.getByRole('button', { name: /^Details of Update group/ }).click();
        const capacity = page.locator('.activity-details').getByRole('row', { name: /capacity/ });
        await expect.poll(() => capacity.textContent(), POLL).toBe(`capacity10→${group === world.groups.a ? 12 : 11}`);
        await expectAccessible(page, `${name}-activity`);
      }
    } catch (error) {
      await screenshot(page, 'staff-activity-group-failed');
      throw error;
    }
    await page.close();
  });

  it('shows a therapist the actions on its own groups only, and no admin pages', async () => {
    const page = await signIn('lead.therapist@kindred.test');
    try {
      await expect
        .poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).isVisible(), POLL)
        .toBe(true);
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admins' }).count()).toBe(0);
      await page.goto(`${app.url}/activity`);
      // A therapist learns that an admin acted, not which admin account (admins' accounts are for admins).
      await expect
        .poll(() => rowsOf(page, 'Staff actions'), POLL)
        .toEqual([actionRow('An admin', 'Admin', 'Update group', 'Done', 'Group')]);
      await page.getByRole('button', { name: /^Details of Update group/ }).click();
      await expect
        .poll(
          () =>
            page
              .locator('.activity-details')
              .getByRole('row', { name: /capacity/ })
              .textContent(),
          POLL,
        )
        .toBe('capacity10→12');
      await expectAccessible(page, 'activity-as-therapist');
      await page.goto(`${app.url}/admins`);
      await page.waitForURL(/\/not-allowed/, POLL);
    } catch (error) {
      await screenshot(page, 'staff-activity-therapist-failed');
      throw error;
    }
    await page.close();
  });
});
