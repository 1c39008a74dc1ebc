import { mount, type VueWrapper } from '@vue/test-utils';
import Toast from 'primevue/toast';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { setViewer } from '@/composables/use-session';
import { type Answer, appGlobals, settle, testRouter } from '@/features/programs/test-helpers';
import { eventually, fakeClient, type FakeRequest } from '@/testing/fake-api';
import GroupDetailPage from './GroupDetailPage.vue';

/**
 * The group screen over a small in-memory API that moves and removes seats the way Kindred does:
 * the dialogs must close on success and the seats, roster and waitlist must follow at once,
 * through the real urql client and graphcache configuration.
 */

type Status = 'CONFIRMED' | 'WAITLISTED' | 'REMOVED';
interface Seat {
  id: string;
  groupId: string;
  member: string;
  status: Status;
  createdAt: string;
}

function fakeKindred() {
  const titles: Record<string, string> = { g1: 'Evening Circle', g2: 'Morning Circle' };
  const capacity: Record<string, number> = { g1: 2, g2: 8 };
  const seats: Seat[] = [
    { id: 'r1', groupId: 'g1', member: 'Ada', status: 'CONFIRMED', createdAt: '2026-01-01T10:00:00Z' },
    { id: 'r2', groupId: 'g1', member: 'Bo', status: 'CONFIRMED', createdAt: '2026-01-01T10:01:00Z' },
    { id: 'r3', groupId: 'g1', member: 'Cy', status: 'WAITLISTED', createdAt: '2026-01-01T10:02:00Z' },
    { id: 'r4', groupId: 'g1', member: 'Di', status: 'WAITLISTED', createdAt: '2026-01-01T10:03:00Z' },
  ];
  let nextId = 5;

  const of = (groupId: string, status: Status) => seats.filter((s) => s.groupId === groupId && s.status === status);
  const waitPosition = (seat: Seat) => (seat.status === 'WAITLISTED' ? of(seat.groupId, 'WAITLISTED').indexOf(seat) + 1 : null);
  /** Rule 4: a freed seat goes at once to the first waitlisted member. */
  function promote(groupId: string) {
    const first = of(groupId, 'WAITLISTED')[0];
    if (first && of(groupId, 'CONFIRMED').length < capacity[groupId]!) first.status = 'CONFIRMED';
  }
  const member = (name: string) => ({ __typename: 'Member', id: `m-${name}`, displayName: name });
  const connection = (typename: string, nodes: unknown[]) => ({
    __typename: typename,
    totalCount: nodes.length,
    pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
    nodes,
  });
  const figures = (id: string) => {
    const taken = of(id, 'CONFIRMED').length;
    return { seatsTaken: taken, seatsHeld: 0, seatsAvailable: capacity[id]! - taken, waitlistLength: of(id, 'WAITLISTED').length };
  };
  const summary = (id: string) => ({
    __typename: 'Group',
    id,
    title: titles[id],
    status: 'OPEN',
    type: 'CLOSED',
    format: 'ONLINE',
    timeZone: 'UTC',
    capacity: capacity[id],
    ...figures(id),
    program: { __typename: 'Program', id: 'p1', title: 'Grief support' },
    leadTherapist: { __typename: 'Therapist', id: 't1', displayName: 'Dr. Okafor' },
    schedule: {
      __typename: 'GroupSchedule',
      weekday: 'MONDAY',
      startTime: '18:00',
      startsOn: '2099-01-05',
      sessionCount: 8,
      durationMinutes: 90,
    },
    nextSession: null,
  });
  const userErrors: unknown[] = [];

  function respond({ operationName, variables }: FakeRequest): Answer {
    const id = variables.id as string;
    switch (operationName) {
      case 'GroupDetail':
        return {
          data: {
            group: {
              ...summary(id),
              location: null,
              enrolmentDeadline: null,
              holdMinutes: 30,
              cancellationWindowHours: 24,
              cancellationReason: null,
              createdAt: '2026-01-01T09:00:00Z',
              updatedAt: '2026-01-01T09:00:00Z',
              coTherapists: [],
            },
          },
        };
      case 'GroupRoster': {
        const statuses = variables.statuses as Status[] | null;
        const nodes = seats
          .filter((s) => s.groupId === id && (!statuses || statuses.includes(s.status)))
          .map((s) => ({
            __typename: 'Reservation',
            id: s.id,
            status: s.status,
            createdAt: s.createdAt,
            expiresAt: null,
            needsSignature: false,
            waitlistPosition: waitPosition(s),
            endedAt: null,
            endedBy: null,
            cancelledLate: null,
            removalReason: null,
            group: { __typename: 'Group', id },
            member: { ...member(s.member), pronouns: null, legalName: null, email: null },
          }));
        return { data: { group: { __typename: 'Group', id, reservations: connection('ReservationConnection', nodes) } } };
      }
      case 'GroupWaitlist': {
        const nodes = of(id, 'WAITLISTED').map((s) => ({
          __typename: 'Reservation',
          id: s.id,
          status: s.status,
          waitlistPosition: waitPosition(s),
          createdAt: s.createdAt,
          group: { __typename: 'Group', id },
          member: member(s.member),
        }));
        return { data: { group: { __typename: 'Group', id, waitlist: connection('ReservationConnection', nodes) } } };
      }
      case 'GroupSessions':
        return { data: { group: { __typename: 'Group', id, timeZone: 'UTC', sessions: [] } } };
      case 'GroupAttendees': {
        const nodes = of(id, 'CONFIRMED').map((s) => ({ __typename: 'Reservation', id: s.id, status: s.status, member: member(s.member) }));
        return { data: { group: { __typename: 'Group', id, reservations: connection('ReservationConnection', nodes) } } };
      }
      case 'MoveTargets': {
        const nodes = Object.keys(titles).map((g) => {
          const { title, timeZone, program, ...rest } = summary(g);
          return {
            __typename: 'Group',
            id: g,
            title,
            status: 'OPEN',
            timeZone,
            seatsAvailable: rest.seatsAvailable,
            waitlistLength: rest.waitlistLength,
            program,
          };
        });
        return { data: { groups: connection('GroupConnection', nodes) } };
      }
      case 'MoveReservation': {
        const { reservationId, toGroupId } = variables.input as { reservationId: string; toGroupId: string };
        const seat = seats.find((s) => s.id === reservationId)!;
        seat.status = 'REMOVED';
        promote(seat.groupId);
        const moved: Seat = {
          id: `r${nextId++}`,
          groupId: toGroupId,
          member: seat.member,
          status: 'CONFIRMED',
          createdAt: '2026-01-02T10:00:00Z',
        };
        seats.push(moved);
        return {
          data: {
            moveReservation: {
              __typename: 'ReservationPayload',
              reservation: {
                __typename: 'Reservation',
                id: moved.id,
                status: moved.status,
                waitlistPosition: null,
                group: { __typename: 'Group', id: toGroupId, title: titles[toGroupId] },
              },
              userErrors,
            },
          },
        };
      }
      case 'RemoveReservation': {
        const { reservationId, reason } = variables.input as { reservationId: string; reason: string };
        const seat = seats.find((s) => s.id === reservationId)!;
        seat.status = 'REMOVED';
        promote(seat.groupId);
        return {
          data: {
            removeReservation: {
              __typename: 'ReservationPayload',
              reservation: { __typename: 'Reservation', id: seat.id, status: seat.status, removalReason: reason },
              userErrors,
            },
          },
        };
      }
      case 'UpdateGroupCapacity': {
        const input = variables.input as { id: string; capacity: number };
        capacity[input.id] = input.capacity;
        promote(input.id);
        promote(input.id);
        return { data: { updateGroup: { __typename: 'GroupPayload', group: summary(input.id), userErrors } } };
      }
    }
    return { errors: [{ message: `unexpected ${operationName}`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
  }
  return { respond };
}

// The page with the toasts App.vue provides.
const Host = defineComponent({ render: () => [h(GroupDetailPage, { id: 'g1' }), h(Toast)] });

let wrapper: VueWrapper | null = null;
beforeEach(() => setViewer({ role: 'ADMIN', therapist: null }));
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
  setViewer(null);
});

async function mountPage() {
  const api = fakeKindred();
  const { client, requests } = fakeClient(api.respond);
  const stub = { template: '<div />' };
  const router = testRouter([
    { path: '/groups', name: 'groups', component: stub },
    { path: '/groups/:id', name: 'group-detail', component: stub },
  ]);
  wrapper = mount(Host, { attachTo: document.body, global: { ...appGlobals(client, router), stubs: { transition: false } } });
  await soon(() => expect(button('Move Ada')).toBeDefined());
  return { requests };
}

const button = (name: string) =>
  [...document.body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name);
const dialog = (name: string) =>
  [...document.body.querySelectorAll('[role="dialog"]')].find((d) => d.querySelector('.p-dialog-title')?.textContent === name);
const seatMeter = () => document.body.querySelector('.seat-meter')?.getAttribute('aria-label');
const rosterNames = () => [...document.body.querySelectorAll('.p-datatable tbody strong')].map((e) => e.textContent);
const waitlistTab = () => [...document.body.querySelectorAll('[role="tab"]')].find((t) => t.textContent?.startsWith('Waitlist'));
const toasts = () => [...document.body.querySelectorAll('.p-toast-message')].map((t) => t.textContent ?? '');

/** Polls a check for up to two seconds (well inside the test's five). */
const soon = (check: () => void) => eventually(check, 2000);

/** Submits a dialog's form (its submit button sits in the footer, outside the form, via `form=`). */
async function submit(formId: string) {
  const form = document.body.querySelector(`#${formId}`);
  if (!form) throw new Error(`no form ${formId}`);
  form.dispatchEvent(new Event('submit'));
  await settle();
}

async function click(element: Element | null | undefined) {
  if (!element) throw new Error('nothing to click');
  (element as HTMLElement).click();
  await settle();
}

describe('GroupDetailPage', () => {
  it('closes the move dialog on success and shows the new seats, roster and waitlist without a reload', async () => {
    const { requests } = await mountPage();
    expect(seatMeter()).toBe('2 of 2 seats taken (0 held), 2 waiting');
    expect(rosterNames()).toEqual(['Ada', 'Bo']);

    await click(button('Move Ada'));
    expect(dialog('Move reservation')).toBeDefined();
    await click(document.body.querySelector('#move-same-program'));
    await soon(() => expect(document.body.querySelector('#move-target')).not.toBeNull());
    await click(document.body.querySelector('#move-target')?.closest('.p-select'));
    await soon(() => expect(document.body.querySelector('[role="option"]')).not.toBeNull());
    // PrimeVue's Select picks an option on mousedown.
    const option = [...document.body.querySelectorAll('[role="option"]')].find((o) => o.textContent?.includes('Morning Circle'));
    option?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    await settle();
    await submit('move-reservation-form');

    expect(requests.filter((r) => r.operationName === 'MoveReservation')).toHaveLength(1);
    await soon(() => expect(dialog('Move reservation')).toBeUndefined());
    await soon(() => expect(toasts().join()).toContain('Ada → Morning Circle: confirmed.'));
    await soon(() => expect(seatMeter()).toBe('2 of 2 seats taken (0 held), 1 waiting'));
    await soon(() => expect(rosterNames()).toEqual(['Bo', 'Cy']));
    expect(waitlistTab()?.textContent).toBe('Waitlist (1)');
    await click(waitlistTab());
    await soon(() => expect([...document.body.querySelectorAll('.waitlist strong')].map((e) => e.textContent)).toEqual(['Di']));
  });

  it('closes the remove dialog on success and gives the freed seat to the first waitlisted member on screen', async () => {
    await mountPage();
    await click(button('Remove Bo'));
    const textarea = document.body.querySelector<HTMLTextAreaElement>('#remove-reason')!;
    textarea.value = 'Asked to leave the group';
    textarea.dispatchEvent(new Event('input'));
    await settle();
    await submit('remove-reservation-form');

    await soon(() => expect(dialog('Remove reservation')).toBeUndefined());
    await soon(() => expect(seatMeter()).toBe('2 of 2 seats taken (0 held), 1 waiting'));
    await soon(() => expect(rosterNames()).toEqual(['Ada', 'Cy']));
    expect(waitlistTab()?.textContent).toBe('Waitlist (1)');
  });

  it('confirms a new capacity from the payload and shows the promoted members', async () => {
    await mountPage();
    const capacity = document.body.querySelector<HTMLInputElement>('#capacity-input')!;
    capacity.value = '4';
    capacity.dispatchEvent(new Event('input'));
    capacity.dispatchEvent(new Event('blur'));
    await settle();
    await click(button('Save'));

    await soon(() => expect(toasts().join()).toContain('4 seats.'));
    await soon(() => expect(rosterNames()).toEqual(['Ada', 'Bo', 'Cy', 'Di']));
    expect(seatMeter()).toBe('4 of 4 seats taken (0 held)');
    expect(waitlistTab()?.textContent).toBe('Waitlist (0)');
  });
});
