/**
 * Programs end to end: creation with ordered modules and authors, in-place module edits,
 * the DRAFT → PUBLISHED → ARCHIVED lifecycle, draft visibility per role, list filters and
 * cursor pagination.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topLevelError as topLevel } from '../support/graphql-expect.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const PROGRAM = `id title summary description focusAreas sessionCount sessionLengthMinutes status
  createdAt updatedAt publishedAt archivedAt
  modules { id position title guidance homeworkPrompt }
  authors { id displayName }
  requiredAgreement { id title }`;

const CREATE = `mutation Create($input: CreateProgramInput!) {
  createProgram(input: $input) { program { ${PROGRAM} } userErrors { code field message } }
}`;
const UPDATE = `mutation Update($input: UpdateProgramInput!) {
  updateProgram(input: $input) { program { ${PROGRAM} } userErrors { code field message } }
}`;
const PUBLISH = `mutation Publish($id: ID!) {
  publishProgram(input: { id: $id }) { program { id status publishedAt archivedAt } userErrors { code field message } }
}`;
const ARCHIVE = `mutation Archive($id: ID!) {
  archiveProgram(input: { id: $id }) { program { id status publishedAt archivedAt } userErrors { code field message } }
}`;

const admin = () => world.admin.token;

async function create(input: Record<string, unknown>) {
  const response = await app.gql(CREATE, { token: admin(), variables: { input } });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.createProgram;
}

async function createOk(input: Record<string, unknown>) {
  const payload = await create(input);
  expect(payload.userErrors).toEqual([]);
  return payload.program;
}

const minimal = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  summary: `${title} summary`,
  sessionCount: 4,
  sessionLengthMinutes: 60,
  modules: [{ title: `${title} module 1` }],
  ...extra,
});

describe('createProgram', () => {
  it('creates a DRAFT program with its modules in order and its authors', async () => {
    const payload = await create({
      title: 'Living With Grief',
      summary: 'Eight weeks of peer support after a loss.',
      description: '## What we do\nTalk, listen, practise.',
      focusAreas: ['grief', 'loss'],
      sessionCount: 8,
      sessionLengthMinutes: 90,
      requiredAgreementId: world.agreement.globalId,
      authorIds: [world.therapists.lead.globalId, world.therapists.co.globalId],
      modules: [
        { title: 'Arriving', guidance: 'Introductions.', homeworkPrompt: 'Write one memory.' },
        { title: 'Naming the loss' },
        { title: 'Rituals', guidance: 'Discuss rituals.' },
      ],
    });
    expect(payload).toEqual({
      program: {
        id: expect.any(String),
        title: 'Living With Grief',
        summary: 'Eight weeks of peer support after a loss.',
        description: '## What we do\nTalk, listen, practise.',
        focusAreas: ['grief', 'loss'],
        sessionCount: 8,
        sessionLengthMinutes: 90,
        status: 'DRAFT',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        publishedAt: null,
        archivedAt: null,
        modules: [
          { id: expect.any(String), position: 1, title: 'Arriving', guidance: 'Introductions.', homeworkPrompt: 'Write one memory.' },
          { id: expect.any(String), position: 2, title: 'Naming the loss', guidance: '', homeworkPrompt: '' },
          { id: expect.any(String), position: 3, title: 'Rituals', guidance: 'Discuss rituals.', homeworkPrompt: '' },
        ],
        // Authors read by display name.
        authors: [
          { id: world.therapists.co.globalId, displayName: 'Co Therapist' },
          { id: world.therapists.lead.globalId, displayName: 'Lead Therapist' },
        ],
        requiredAgreement: { id: world.agreement.globalId, title: 'Confidentiality' },
      },
      userErrors: [],
    });
    const ids = new Set(payload.program.modules.map((m: { id: string }) => m.id));
    expect(ids.size).toBe(3);
  });

  it('defaults optional fields', async () => {
    const program = await createOk({ title: 'Bare', summary: 'Just the basics.', sessionCount: 1, sessionLengthMinutes: 15 });
    expect(program).toEqual({
      id: expect.any(String),
      title: 'Bare',
      summary: 'Just the basics.',
      description: '',
      focusAreas: [],
      sessionCount: 1,
      sessionLengthMinutes: 15,
      status: 'DRAFT',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      publishedAt: null,
      archivedAt: null,
      modules: [],
      authors: [],
      requiredAgreement: null,
    });
  });

  it('refuses invalid input with user errors and creates nothing', async () => {
    const before = await app.db.query('select count(*)::int as n from program');
    expect(await create({ title: ' ', summary: 'x', sessionCount: 0, sessionLengthMinutes: 60 })).toEqual({
      program: null,
      userErrors: [
        { code: 'REQUIRED', field: ['input', 'title'], message: expect.any(String) },
        { code: 'OUT_OF_RANGE', field: ['input', 'sessionCount'], message: expect.any(String) },
      ],
    });
    expect(await create(minimal('Too many modules', { sessionCount: 1, modules: [{ title: 'a' }, { title: 'b' }] }))).toEqual({
      program: null,
      userErrors: [{ code: 'OUT_OF_RANGE', field: ['input', 'modules'], message: expect.any(String) }],
    });
    expect(await create(minimal('Unknown author', { authorIds: [world.partners.referring.globalId] }))).toEqual({
      program: null,
      userErrors: [{ code: 'INVALID_ID', field: ['input', 'authorIds', '0'], message: expect.any(String) }],
    });
    expect(
      await create(minimal('Twice the same author', { authorIds: [world.therapists.lead.globalId, world.therapists.lead.globalId] })),
    ).toEqual({
      program: null,
      userErrors: [{ code: 'DUPLICATE', field: ['input', 'authorIds'], message: expect.any(String) }],
    });
    expect(await app.db.query('select count(*)::int as n from program')).toEqual(before);
  });

  it('is for admins only', async () => {
    const input = minimal('Not allowed');
    expect((await app.gql(CREATE, { token: world.therapists.lead.token, variables: { input } })).body).toEqual({
      data: null,
      errors: [topLevel('FORBIDDEN', ['createProgram'])],
    });
    expect((await app.gql(CREATE, { token: world.partners.referring.token, variables: { input } })).body).toEqual({
      data: null,
      errors: [topLevel('FORBIDDEN', ['createProgram'])],
    });
    expect((await app.gql(CREATE, { variables: { input } })).body).toEqual({
      data: null,
      errors: [topLevel('UNAUTHENTICATED', ['createProgram'])],
    });
  });
});

describe('updateProgram', () => {
  it('edits modules in place by position: kept positions keep their IDs', async () => {
    const program = await createOk(
      minimal('Edit Me', {
        sessionCount: 6,
        modules: [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }],
      }),
    );
    const [m1, m2, m3] = program.modules.map((m: { id: string }) => m.id);

    const shrunk = await app.gql(UPDATE, {
      token: admin(),
      variables: {
        input: {
          id: program.id,
          title: 'Edited',
          focusAreas: ['anxiety'],
          authorIds: [world.therapists.other.globalId],
          modules: [{ title: 'One, revised', guidance: 'New guidance.' }, { title: 'Two' }],
        },
      },
    });
    expect(shrunk.body).toEqual({
      data: {
        updateProgram: {
          program: {
            ...program,
            title: 'Edited',
            focusAreas: ['anxiety'],
            updatedAt: expect.any(String),
            modules: [
              { id: m1, position: 1, title: 'One, revised', guidance: 'New guidance.', homeworkPrompt: '' },
              { id: m2, position: 2, title: 'Two', guidance: '', homeworkPrompt: '' },
            ],
            authors: [{ id: world.therapists.other.globalId, displayName: 'Other Therapist' }],
          },
          userErrors: [],
        },
      },
    });
    expect(
      await app.db.query('select count(*)::int as n from program_module where id = $1', [
        Buffer.from(m3, 'base64url').toString().split(':')[1],
      ]),
    ).toEqual([{ n: 0 }]);

    const grown = await app.gql(UPDATE, {
      token: admin(),
      variables: { input: { id: program.id, modules: [{ title: 'A' }, { title: 'B' }, { title: 'C' }, { title: 'D' }] } },
    });
    const modules = grown.body.data.updateProgram.program.modules;
    expect(modules).toEqual([
      { id: m1, position: 1, title: 'A', guidance: '', homeworkPrompt: '' },
      { id: m2, position: 2, title: 'B', guidance: '', homeworkPrompt: '' },
      { id: expect.any(String), position: 3, title: 'C', guidance: '', homeworkPrompt: '' },
      { id: expect.any(String), position: 4, title: 'D', guidance: '', homeworkPrompt: '' },
    ]);
    expect(new Set(modules.map((m: { id: string }) => m.id)).size).toBe(4);

    // Omitting modules leaves them alone.
    const untouched = await app.gql(UPDATE, { token: admin(), variables: { input: { id: program.id, summary: 'New summary' } } });
    expect(untouched.body.data.updateProgram.program.modules).toEqual(modules);
    expect(untouched.body.data.updateProgram.program.summary).toBe('New summary');
  });

  it('keeps sessions of running groups pointing at the edited modules', async () => {
    const program = await createOk(minimal('Running', { sessionCount: 3, modules: [{ title: 'M1' }, { title: 'M2' }, { title: 'M3' }] }));
    expect((await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } })).body.data.publishProgram.userErrors).toEqual([]);
    const created = await app.gql(
      `mutation($input: CreateGroupInput!) { createGroup(input: $input) { group { id } userErrors { code field } } }`,
      {
        token: admin(),
        variables: {
          input: {
            programId: program.id,
            title: 'Running group',
            leadTherapistId: world.therapists.lead.globalId,
            capacity: 5,
            type: 'CLOSED',
            format: 'ONLINE',
            schedule: { timeZone: 'Europe/London', startsOn: '2027-02-01', weekday: 'MONDAY', startTime: '18:00' },
          },
        },
      },
    );
    expect(created.body.data.createGroup.userErrors).toEqual([]);
    const groupId = created.body.data.createGroup.group.id;

    const response = await app.gql(UPDATE, {
      token: admin(),
      variables: { input: { id: program.id, modules: [{ title: 'Renamed 1' }, { title: 'Renamed 2' }] } },
    });
    expect(response.body.data.updateProgram.userErrors).toEqual([]);
    const [m1, m2] = program.modules.map((m: { id: string }) => m.id);
    const group = await app.gql(`query($id: ID!) { group(id: $id) { sessions { position module { id title } } } }`, {
      token: admin(),
      variables: { id: groupId },
    });
    // Kept positions keep their module rows; the session of the removed module keeps no module.
    expect(group.body).toEqual({
      data: {
        group: {
          sessions: [
            { position: 1, module: { id: m1, title: 'Renamed 1' } },
            { position: 2, module: { id: m2, title: 'Renamed 2' } },
            { position: 3, module: null },
          ],
        },
      },
    });
  });

  it('refuses more modules than sessions, also when sessionCount is lowered', async () => {
    const program = await createOk(minimal('Counting', { sessionCount: 2, modules: [{ title: 'a' }, { title: 'b' }] }));
    for (const input of [
      { id: program.id, modules: [{ title: 'a' }, { title: 'b' }, { title: 'c' }] },
      { id: program.id, sessionCount: 1 },
    ]) {
      expect((await app.gql(UPDATE, { token: admin(), variables: { input } })).body).toEqual({
        data: {
          updateProgram: {
            program: null,
            userErrors: [{ code: 'OUT_OF_RANGE', field: ['input', 'modules'], message: expect.any(String) }],
          },
        },
      });
    }
  });

  it('answers NOT_FOUND for an unknown program', async () => {
    const unknown = Buffer.from('Program:00000000-0000-7000-8000-000000000000').toString('base64url');
    expect((await app.gql(UPDATE, { token: admin(), variables: { input: { id: unknown, title: 'x' } } })).body).toEqual({
      data: { updateProgram: { program: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: expect.any(String) }] } },
    });
  });
});

describe('publishProgram and archiveProgram', () => {
  it('moves DRAFT → PUBLISHED → ARCHIVED and refuses every other transition with INVALID_STATE', async () => {
    const program = await createOk(minimal('Lifecycle'));
    const invalid = (mutation: string) => ({
      data: { [mutation]: { program: null, userErrors: [{ code: 'INVALID_STATE', field: ['input', 'id'], message: expect.any(String) }] } },
    });

    expect((await app.gql(ARCHIVE, { token: admin(), variables: { id: program.id } })).body).toEqual(invalid('archiveProgram'));

    const published = await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } });
    expect(published.body).toEqual({
      data: {
        publishProgram: {
          program: { id: program.id, status: 'PUBLISHED', publishedAt: expect.any(String), archivedAt: null },
          userErrors: [],
        },
      },
    });
    const publishedAt = published.body.data.publishProgram.program.publishedAt;
    expect(Math.abs(Date.parse(publishedAt) - Date.now())).toBeLessThan(60_000);

    expect((await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } })).body).toEqual(invalid('publishProgram'));

    const archived = await app.gql(ARCHIVE, { token: admin(), variables: { id: program.id } });
    expect(archived.body).toEqual({
      data: {
        archiveProgram: { program: { id: program.id, status: 'ARCHIVED', publishedAt, archivedAt: expect.any(String) }, userErrors: [] },
      },
    });

    expect((await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } })).body).toEqual(invalid('publishProgram'));
    expect((await app.gql(ARCHIVE, { token: admin(), variables: { id: program.id } })).body).toEqual(invalid('archiveProgram'));
    expect((await app.gql(UPDATE, { token: admin(), variables: { input: { id: program.id, title: 'Changed' } } })).body).toEqual(
      invalid('updateProgram'),
    );
  });

  it('gives new groups to published programs only', async () => {
    const program = await createOk(minimal('Groups Only When Published'));
    const createGroup = () =>
      app.gql(`mutation($input: CreateGroupInput!) { createGroup(input: $input) { group { id } userErrors { code field } } }`, {
        token: admin(),
        variables: {
          input: {
            programId: program.id,
            title: 'Group',
            leadTherapistId: world.therapists.lead.globalId,
            capacity: 5,
            type: 'OPEN',
            format: 'ONLINE',
            schedule: { timeZone: 'Europe/London', startsOn: '2027-02-01', weekday: 'MONDAY', startTime: '18:00' },
          },
        },
      });
    const refused = {
      data: { createGroup: { group: null, userErrors: [{ code: 'PROGRAM_NOT_PUBLISHED', field: ['input', 'programId'] }] } },
    };
    expect((await createGroup()).body).toEqual(refused);
    await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } });
    expect((await createGroup()).body).toEqual({ data: { createGroup: { group: { id: expect.any(String) }, userErrors: [] } } });
    await app.gql(ARCHIVE, { token: admin(), variables: { id: program.id } });
    expect((await createGroup()).body).toEqual(refused);
  });

  it('refuses to publish a program without modules', async () => {
    const program = await createOk({ title: 'Empty', summary: 'No modules yet.', sessionCount: 3, sessionLengthMinutes: 60 });
    expect((await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } })).body).toEqual({
      data: {
        publishProgram: { program: null, userErrors: [{ code: 'INVALID_STATE', field: ['input', 'id'], message: expect.any(String) }] },
      },
    });
  });

  it('is for admins only', async () => {
    const program = await createOk(minimal('Guarded'));
    for (const token of [world.therapists.lead.token, world.partners.referring.token, world.members.subject.token]) {
      expect((await app.gql(PUBLISH, { token, variables: { id: program.id } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['publishProgram'])],
      });
    }
  });
});

describe('draft visibility', () => {
  const ONE = `query One($id: ID!) { program(id: $id) { id title status } }`;
  const NODE = `query Node($id: ID!) { node(id: $id) { id ... on Program { status } ... on ProgramModule { title } } }`;
  let draft: { id: string; modules: { id: string }[] };

  beforeAll(async () => {
    draft = await createOk(minimal('Secret Draft', { focusAreas: ['visibility'] }));
  });

  it('is NOT_FOUND for anonymous callers, partners and members, exactly like a missing program', async () => {
    const missing = Buffer.from('Program:00000000-0000-7000-8000-000000000000').toString('base64url');
    for (const token of [undefined, world.partners.referring.token, world.members.subject.token]) {
      for (const id of [draft.id, missing]) {
        expect((await app.gql(ONE, { token, variables: { id } })).body).toEqual({
          data: { program: null },
          errors: [topLevel('NOT_FOUND', ['program'])],
        });
        expect((await app.gql(NODE, { token, variables: { id } })).body).toEqual({
          data: { node: null },
          errors: [topLevel('NOT_FOUND', ['node'])],
        });
      }
      // Its modules are hidden with it.
      expect((await app.gql(NODE, { token, variables: { id: draft.modules[0]!.id } })).body).toEqual({
        data: { node: null },
        errors: [topLevel('NOT_FOUND', ['node'])],
      });
      const list = await app.gql(`{ programs(focusArea: "visibility", statuses: [DRAFT]) { totalCount nodes { id } } }`, { token });
      expect(list.body).toEqual({ data: { programs: { totalCount: 0, nodes: [] } } });
    }
  });

  it('is visible to admins and therapists', async () => {
    for (const token of [world.admin.token, world.therapists.other.token]) {
      expect((await app.gql(ONE, { token, variables: { id: draft.id } })).body).toEqual({
        data: { program: { id: draft.id, title: 'Secret Draft', status: 'DRAFT' } },
      });
      expect((await app.gql(NODE, { token, variables: { id: draft.id } })).body).toEqual({
        data: { node: { id: draft.id, status: 'DRAFT' } },
      });
      expect((await app.gql(`{ programs(focusArea: "visibility") { totalCount nodes { id } } }`, { token })).body).toEqual({
        data: { programs: { totalCount: 1, nodes: [{ id: draft.id }] } },
      });
    }
  });

  it('shows published programs to everyone', async () => {
    for (const token of [undefined, world.partners.referring.token, world.members.subject.token]) {
      expect((await app.gql(ONE, { token, variables: { id: world.program.globalId } })).body).toEqual({
        data: { program: { id: world.program.globalId, title: 'Test Program', status: 'PUBLISHED' } },
      });
    }
  });
});

describe('programs list', () => {
  const LIST = `query List($first: Int!, $after: String, $statuses: [ProgramStatus!], $focusArea: String) {
    programs(first: $first, after: $after, statuses: $statuses, focusArea: $focusArea) {
      totalCount
      edges { cursor node { id title status } }
      nodes { id }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;
  const byTitle: Record<string, { id: string; title: string }> = {};

  beforeAll(async () => {
    // Created out of order: the list sorts by title.
    for (const [title, focusAreas, publish, archive] of [
      ['Filter E', ['sleep'], true, false],
      ['Filter B', ['sleep', 'stress'], true, true],
      ['Filter D', ['stress'], false, false],
      ['Filter A', ['stress'], true, false],
      ['Filter C', ['sleep'], false, false],
    ] as const) {
      const program = await createOk(minimal(title, { focusAreas: [...focusAreas, 'filter-suite'] }));
      byTitle[title] = { id: program.id, title };
      if (publish)
        expect((await app.gql(PUBLISH, { token: admin(), variables: { id: program.id } })).body.data.publishProgram.userErrors).toEqual([]);
      if (archive)
        expect((await app.gql(ARCHIVE, { token: admin(), variables: { id: program.id } })).body.data.archiveProgram.userErrors).toEqual([]);
    }
  });

  async function titles(variables: Record<string, unknown>, token?: string) {
    const response = await app.gql(LIST, { token, variables: { first: 100, focusArea: 'filter-suite', ...variables } });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.programs.edges.map((e: { node: { title: string; status: string } }) => `${e.node.title}:${e.node.status}`);
  }

  it('lists the published catalogue to the public and everything to staff, by title', async () => {
    expect(await titles({})).toEqual(['Filter A:PUBLISHED', 'Filter E:PUBLISHED']);
    expect(await titles({}, world.partners.referring.token)).toEqual(['Filter A:PUBLISHED', 'Filter E:PUBLISHED']);
    expect(await titles({}, world.admin.token)).toEqual([
      'Filter A:PUBLISHED',
      'Filter B:ARCHIVED',
      'Filter C:DRAFT',
      'Filter D:DRAFT',
      'Filter E:PUBLISHED',
    ]);
  });

  it('filters by statuses (the public may ask for archived programs, never drafts)', async () => {
    expect(await titles({ statuses: ['ARCHIVED'] })).toEqual(['Filter B:ARCHIVED']);
    expect(await titles({ statuses: ['DRAFT', 'ARCHIVED'] })).toEqual(['Filter B:ARCHIVED']);
    expect(await titles({ statuses: ['DRAFT'] }, world.admin.token)).toEqual(['Filter C:DRAFT', 'Filter D:DRAFT']);
    expect(await titles({ statuses: ['PUBLISHED', 'ARCHIVED'] }, world.therapists.lead.token)).toEqual([
      'Filter A:PUBLISHED',
      'Filter B:ARCHIVED',
      'Filter E:PUBLISHED',
    ]);
  });

  it('filters by focus area', async () => {
    expect(await titles({ focusArea: 'sleep' }, world.admin.token)).toEqual(['Filter B:ARCHIVED', 'Filter C:DRAFT', 'Filter E:PUBLISHED']);
    expect(await titles({ focusArea: 'stress', statuses: ['PUBLISHED'] }, world.admin.token)).toEqual(['Filter A:PUBLISHED']);
    expect(await titles({ focusArea: 'nothing-like-this' }, world.admin.token)).toEqual([]);
  });

  it('paginates with first/after, pageInfo and totalCount across pages', async () => {
    const page = async (after: string | null) =>
      (await app.gql(LIST, { token: admin(), variables: { first: 2, after, focusArea: 'filter-suite' } })).body;

    const first = await page(null);
    const edge = (title: string, status: string) => ({ cursor: expect.any(String), node: { id: byTitle[title]!.id, title, status } });
    expect(first).toEqual({
      data: {
        programs: {
          totalCount: 5,
          edges: [edge('Filter A', 'PUBLISHED'), edge('Filter B', 'ARCHIVED')],
          nodes: [{ id: byTitle['Filter A']!.id }, { id: byTitle['Filter B']!.id }],
          pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: expect.any(String), endCursor: expect.any(String) },
        },
      },
    });
    const p1 = first.data.programs;
    expect(p1.pageInfo.startCursor).toBe(p1.edges[0].cursor);
    expect(p1.pageInfo.endCursor).toBe(p1.edges[1].cursor);

    const second = await page(p1.pageInfo.endCursor);
    expect(second.data.programs).toEqual({
      totalCount: 5,
      edges: [edge('Filter C', 'DRAFT'), edge('Filter D', 'DRAFT')],
      nodes: [{ id: byTitle['Filter C']!.id }, { id: byTitle['Filter D']!.id }],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: expect.any(String), endCursor: expect.any(String) },
    });

    const third = await page(second.data.programs.pageInfo.endCursor);
    expect(third.data.programs).toEqual({
      totalCount: 5,
      edges: [edge('Filter E', 'PUBLISHED')],
      nodes: [{ id: byTitle['Filter E']!.id }],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: expect.any(String), endCursor: expect.any(String) },
    });

    const beyond = await page(third.data.programs.pageInfo.endCursor);
    expect(beyond.data.programs).toEqual({
      totalCount: 5,
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('counts what the caller may see', async () => {
    const response = await app.gql(LIST, { variables: { first: 1, focusArea: 'filter-suite' } });
    expect(response.body.data.programs.totalCount).toBe(2);
    expect(response.body.data.programs.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses page sizes outside 1–100 and foreign cursors with BAD_USER_INPUT', async () => {
    for (const variables of [{ first: 0 }, { first: 101 }, { first: 10, after: 'not-a-cursor' }]) {
      const response = await app.gql(LIST, { token: admin(), variables });
      expect(response.body).toEqual({
        data: null,
        errors: [{ ...topLevel('BAD_USER_INPUT', ['programs']), extensions: { code: 'BAD_USER_INPUT', reason: expect.any(String) } }],
      });
    }
  });
});
