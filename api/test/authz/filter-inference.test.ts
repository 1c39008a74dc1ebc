/**
 * No filter tells what its caller may not see (docs/personal-identifiers.md, "Filters and
 * pagination"). For every argument of every query field, one of:
 *
 * - a case below asks the same query twice as an attacker would — once with the argument
 *   pointing at something the caller may not see, once at something that does not exist — and
 *   the two whole answers must be equal (same data, same errors); a control shows the argument
 *   does narrow for a caller who may see;
 * - or the argument is listed in NOT_A_FILTER with why it cannot be used for inference.
 *
 * The last test walks the schema: a new query argument fails it until someone adds its case.
 */
import { randomUUID } from 'node:crypto';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/app/schema.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import { addGroup, addMember, startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const ghost = (type: 'Group' | 'Member' | 'Therapist' | 'Reservation' | 'Program') => toGlobalId(type, randomUUID());

/** The whole answer (data and errors) to a query. */
async function ask(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await app.gql(query, { token, variables });
  return response.body;
}

/** A member of the referring partner who sits in group A (lead therapist) and group B (other therapist). */
let both: { id: string; globalId: string };
/** Its reservation in group B. */
let reservationInB: string;
/** A DRAFT group led by the other therapist. */
let draft: { id: string; globalId: string };
/** A DRAFT program with a focus area nobody else has. */
let draftProgram: string;
const DRAFT_FOCUS = 'filter-inference-draft-focus';

beforeAll(async () => {
  both = await addMember(app, world, { displayName: 'Filter Both' });
  const reserve = `mutation($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { id status } userErrors { code } } }`;
  for (const group of [world.groups.a, world.groups.b]) {
    const { data } = await ask(reserve, { input: { groupId: group.globalId, memberId: both.globalId } }, world.partners.referring.token);
    expect(data.reserveSeat.userErrors).toEqual([]);
    if (group === world.groups.b) reservationInB = data.reserveSeat.reservation.id;
  }
  draft = await addGroup(app, world, { title: 'Filter Draft', like: 'b' });
  await app.db.query(`update therapy_group set status = 'DRAFT' where id = $1`, [draft.id]);
  const created = await ask(
    `mutation($input: CreateProgramInput!) { createProgram(input: $input) { program { id status } userErrors { code } } }`,
    {
      input: { title: 'Filter Draft Program', summary: 'S', sessionCount: 4, sessionLengthMinutes: 60, focusAreas: [DRAFT_FOCUS] },
    },
    world.admin.token,
  );
  expect(created.data.createProgram.program.status).toBe('DRAFT');
  draftProgram = created.data.createProgram.program.id;
});

const MEMBERS = `query($groupId: ID, $name: String) {
  members(groupId: $groupId, displayNameContains: $name) { totalCount nodes { id displayName } }
}`;

describe('members(groupId, displayNameContains)', () => {
  it('a therapist: another therapist’s group answers as a group that does not exist', async () => {
    const token = world.therapists.lead.token;
    const foreign = await ask(MEMBERS, { groupId: world.groups.b.globalId }, token);
    expect(foreign).toEqual(await ask(MEMBERS, { groupId: ghost('Group') }, token));
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const own = await ask(MEMBERS, { groupId: world.groups.a.globalId, name: 'Filter Both' }, token);
    expect(own.data.members).toEqual({ totalCount: 1, nodes: [{ id: both.globalId, displayName: 'Filter Both' }] });
  });

  it('a therapist of the other group learns nothing of group A either', async () => {
    const token = world.therapists.other.token;
    expect(await ask(MEMBERS, { groupId: world.groups.a.globalId }, token)).toEqual(await ask(MEMBERS, { groupId: ghost('Group') }, token));
  });

  it('a partner or a member: a draft group answers as a group that does not exist', async () => {
    for (const token of [world.partners.referring.token, world.members.subject.token]) {
      const hidden = await ask(MEMBERS, { groupId: draft.globalId }, token);
      expect(hidden).toEqual(await ask(MEMBERS, { groupId: ghost('Group') }, token));
      expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('a name search finds only members the caller may see: another partner’s member answers as no one', async () => {
    const search = (token: string, name: string) => ask(MEMBERS, { name }, token);
    // Rowan (the world's subject) is referred by the referring partner and sits in group A only.
    for (const token of [world.partners.other.token, world.therapists.other.token, world.members.another.token]) {
      expect(await search(token, 'Rowan')).toEqual(await search(token, 'Nobody At All'));
    }
    expect((await search(world.partners.referring.token, 'Rowan')).data.members.totalCount).toBe(1);
    expect((await search(world.therapists.lead.token, 'Rowan')).data.members.totalCount).toBe(1);
  });
});

describe('what a member’s record shows of its groups', () => {
  it('a therapist sees the member’s reservations in its own groups only', async () => {
    const query = `query($id: ID!) { member(id: $id) { reservations { group { id } } } }`;
    const { data } = await ask(query, { id: both.globalId }, world.therapists.lead.token);
    expect(data.member.reservations).toEqual([{ group: { id: world.groups.a.globalId } }]);
  });

  it('a reservation in another therapist’s group answers as one that does not exist', async () => {
    const query = `query($id: ID!) { node(id: $id) { id } }`;
    const token = world.therapists.lead.token;
    const hidden = await ask(query, { id: reservationInB }, token);
    expect(hidden).toEqual(await ask(query, { id: ghost('Reservation') }, token));
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('Group.reservations(statuses) and the waitlist', () => {
  const query = `query($id: ID!) { group(id: $id) { reservations(statuses: [CONFIRMED, HELD, WAITLISTED]) { totalCount nodes { id } } } }`;

  it('a partner sees its own members’ reservations: another partner’s in the same group answer as an empty group', async () => {
    const empty = await addGroup(app, world, { title: 'Filter Empty' });
    const token = world.partners.other.token;
    expect(await ask(query, { id: world.groups.a.globalId }, token)).toEqual(await ask(query, { id: empty.globalId }, token));
    expect((await ask(query, { id: world.groups.a.globalId }, world.partners.referring.token)).data.group.reservations.totalCount).toBe(2);
  });
});

const ACTIONS = `query($actorId: ID, $subjectId: ID, $groupId: ID) {
  staffActions(actorId: $actorId, subjectId: $subjectId, groupId: $groupId) { totalCount nodes { id action } }
}`;

describe('staffActions(actorId, subjectId, groupId)', () => {
  beforeAll(async () => {
    // An admin acts on group B.
    const update = `mutation($input: UpdateGroupInput!) { updateGroup(input: $input) { group { id } userErrors { code } } }`;
    const { data } = await ask(update, { input: { id: world.groups.b.globalId, capacity: 9 } }, world.admin.token);
    expect(data.updateGroup.userErrors).toEqual([]);
  });

  it('a therapist: another therapist’s group, as group or as subject, answers as one that does not exist', async () => {
    const token = world.therapists.lead.token;
    const nowhere = await ask(ACTIONS, { groupId: ghost('Group') }, token);
    expect(nowhere.data.staffActions.totalCount).toBe(0);
    expect(await ask(ACTIONS, { groupId: world.groups.b.globalId }, token)).toEqual(nowhere);
    expect(await ask(ACTIONS, { subjectId: world.groups.b.globalId }, token)).toEqual(
      await ask(ACTIONS, { subjectId: ghost('Group') }, token),
    );
    // The control: an admin sees the action on group B through the same filters.
    expect((await ask(ACTIONS, { groupId: world.groups.b.globalId }, world.admin.token)).data.staffActions.totalCount).toBeGreaterThan(0);
    expect((await ask(ACTIONS, { subjectId: world.groups.b.globalId }, world.admin.token)).data.staffActions.totalCount).toBeGreaterThan(0);
  });

  it('a therapist: an actor who acted only elsewhere answers as an actor who does not exist', async () => {
    const token = world.therapists.lead.token;
    const admin = await ask(ACTIONS, { actorId: world.admin.globalId }, world.admin.token);
    expect(admin.data.staffActions.totalCount).toBeGreaterThan(0);
    // The admin's actions the lead therapist sees are exactly those on its own groups.
    const seen = await ask(ACTIONS, { actorId: world.admin.globalId, groupId: world.groups.b.globalId }, token);
    expect(seen).toEqual(await ask(ACTIONS, { actorId: toGlobalId('Therapist', randomUUID()), groupId: world.groups.b.globalId }, token));
  });
});

const GROUPS = `query($filter: GroupFilter) { groups(filter: $filter) { totalCount nodes { id } } }`;

describe('groups(filter) and Therapist.groups(statuses)', () => {
  it('drafts are never found through a filter by anyone but staff who may see them', async () => {
    const byOther = { statuses: ['DRAFT'], therapistId: world.therapists.other.globalId };
    const byNobody = { statuses: ['DRAFT'], therapistId: ghost('Therapist') };
    for (const token of [undefined, world.partners.referring.token, world.members.subject.token, world.therapists.lead.token]) {
      expect(await ask(GROUPS, { filter: byOther }, token)).toEqual(await ask(GROUPS, { filter: byNobody }, token));
    }
    expect((await ask(GROUPS, { filter: byOther }, world.therapists.other.token)).data.groups.nodes).toEqual([{ id: draft.globalId }]);
  });

  it('a draft program’s id filters as a program that does not exist (the other filters are catalogue facts shown on every group)', async () => {
    for (const token of [undefined, world.partners.referring.token]) {
      expect(await ask(GROUPS, { filter: { programId: draftProgram } }, token)).toEqual(
        await ask(GROUPS, { filter: { programId: ghost('Program') } }, token),
      );
    }
  });

  it('a therapist’s groups list no draft to the public', async () => {
    const query = `query($id: ID!) { therapist(id: $id) { groups(statuses: [DRAFT]) { totalCount nodes { id } } } }`;
    const token = world.partners.referring.token;
    const other = await ask(query, { id: world.therapists.other.globalId }, token);
    expect(other.data.therapist.groups).toEqual({ totalCount: 0, nodes: [] });
    const asAdmin = await ask(query, { id: world.therapists.other.globalId }, world.admin.token);
    expect(asAdmin.data.therapist.groups.nodes).toEqual([{ id: draft.globalId }]);
  });
});

describe('programs(statuses, focusArea)', () => {
  it('a draft program is never found by status or focus area by anyone but staff', async () => {
    const query = `query($focus: String, $statuses: [ProgramStatus!]) { programs(focusArea: $focus, statuses: $statuses) { totalCount nodes { id } } }`;
    for (const token of [undefined, world.partners.referring.token, world.members.subject.token]) {
      expect(await ask(query, { focus: DRAFT_FOCUS }, token)).toEqual(await ask(query, { focus: 'no-such-focus' }, token));
      expect((await ask(query, { statuses: ['DRAFT'] }, token)).data.programs).toEqual({ totalCount: 0, nodes: [] });
    }
    expect((await ask(query, { focus: DRAFT_FOCUS }, world.admin.token)).data.programs.nodes).toEqual([{ id: draftProgram }]);
  });
});

describe('pagination cursors', () => {
  it('a cursor taken from an admin’s list pages only through what the caller may see', async () => {
    const page = `query($after: String) { members(first: 1, after: $after) { nodes { id } pageInfo { endCursor } } }`;
    const adminFirst = await ask(page, {}, world.admin.token);
    const cursor = adminFirst.data.members.pageInfo.endCursor;
    const all = await ask(`query { members(first: 100) { nodes { id } } }`, {}, world.therapists.other.token);
    const visible = new Set(all.data.members.nodes.map((n: { id: string }) => n.id));
    const { data, errors } = await ask(
      `query($after: String) { members(first: 100, after: $after) { nodes { id } } }`,
      { after: cursor },
      world.therapists.other.token,
    );
    expect(errors).toBeUndefined();
    for (const node of data.members.nodes) expect(visible.has(node.id)).toBe(true);
  });
});

/**
 * Query arguments that are not filters over something the caller may not see, with why. Every
 * other argument has a case above.
 */
const NOT_A_FILTER: Record<string, string> = {
  'Query.node(id)': 'loads one object: NOT_FOUND alike for hidden and missing (test/authz/identifier-matrix and above)',
  'Query.nodes(ids)': 'as node(id), one NOT_FOUND per hidden or missing id',
  'Query.admin(id)': 'as node(id)',
  'Query.group(id)': 'as node(id)',
  'Query.member(id)': 'as node(id)',
  'Query.partner(id)': 'as node(id)',
  'Query.program(id)': 'as node(id)',
  'Query.staffAction(id)': 'as node(id)',
  'Query.therapist(id)': 'as node(id)',
  'Query.previewGroupSessions(schedule)': 'computes a calendar from its input alone; reads nothing',
  'Query.staffActions(since)': 'narrows, by time, the actions the caller may see (the visibility condition applies first)',
  'Query.staffActions(until)': 'as since',
};
/** Arguments with a case above. */
const WALKED = new Set([
  'Query.members(groupId)',
  'Query.members(displayNameContains)',
  'Group.reservations(statuses)',
  'Query.staffActions(actorId)',
  'Query.staffActions(subjectId)',
  'Query.staffActions(groupId)',
  'Query.groups(filter)',
  'Therapist.groups(statuses)',
  'Query.programs(statuses)',
  'Query.programs(focusArea)',
]);
/** Paging arguments: `first` only sizes a page; `after` is walked by the cursor case above. */
const PAGING = new Set(['first', 'after']);

describe('the walk', () => {
  it('covers every argument of every field outside Mutation (there is no sort argument: lists have one fixed order)', async () => {
    const schema = await createSchema();
    const args = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith('__') && type.name !== 'Mutation')
      .flatMap((type) =>
        isObjectType(type)
          ? Object.values(type.getFields()).flatMap((field) => field.args.map((arg) => `${type.name}.${field.name}(${arg.name})`))
          : [],
      )
      .filter((name) => !PAGING.has(/\((\w+)\)$/.exec(name)?.[1] ?? ''));
    const unwalked = args.filter((name) => !WALKED.has(name) && !(name in NOT_A_FILTER));
    expect(unwalked).toEqual([]);
    expect(args.filter((name) => /sort|order/i.test(name))).toEqual([]);
    // Nothing listed here that the schema no longer has.
    expect([...WALKED, ...Object.keys(NOT_A_FILTER)].filter((name) => !args.includes(name))).toEqual([]);
  });
});
