/**
 * Agreements end to end: creation with version 1, version numbering (also under concurrent
 * publishing), the current version, and signatures by the member itself or its referring partner.
 */
import { storedTypedName } from '../support/sealed.js';
import { afterAll, describe, expect, it } from 'vitest';
import { topLevelError as topLevel } from '../support/graphql-expect.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const VERSION = 'id version bodyMarkdown requiresResign publishedAt agreement { id }';
const AGREEMENT = `id kind title createdAt currentVersion { ${VERSION} } versions { ${VERSION} }`;

const CREATE = `mutation Create($input: CreateAgreementInput!) {
  createAgreement(input: $input) { agreement { ${AGREEMENT} } userErrors { code field message } }
}`;
const PUBLISH = `mutation Publish($input: PublishAgreementVersionInput!) {
  publishAgreementVersion(input: $input) { agreementVersion { ${VERSION} } userErrors { code field message } }
}`;
const SIGN = `mutation Sign($input: SignAgreementInput!) {
  signAgreement(input: $input) {
    signature { id channel signedAt member { id displayName } agreementVersion { id version } }
    userErrors { code field message }
  }
}`;

async function createAgreement(title: string, bodyMarkdown = 'Version one.') {
  const response = await app.gql(CREATE, {
    token: world.admin.token,
    variables: { input: { kind: 'CONFIDENTIALITY', title, bodyMarkdown } },
  });
  expect(response.body.data.createAgreement.userErrors).toEqual([]);
  return response.body.data.createAgreement.agreement as { id: string; currentVersion: { id: string } };
}

async function publish(agreementId: string, bodyMarkdown: string, requiresResign = true) {
  return app.gql(PUBLISH, { token: world.admin.token, variables: { input: { agreementId, bodyMarkdown, requiresResign } } });
}

describe('createAgreement', () => {
  it('creates the agreement with its version 1 as the current version', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: {
        input: { kind: 'CONFIDENTIALITY', title: 'Group Confidentiality', bodyMarkdown: '# Rules\nWhat is said here stays here.' },
      },
    });
    const version = {
      id: expect.any(String),
      version: 1,
      bodyMarkdown: '# Rules\nWhat is said here stays here.',
      requiresResign: true,
      publishedAt: expect.any(String),
      agreement: { id: expect.any(String) },
    };
    expect(response.body).toEqual({
      data: {
        createAgreement: {
          agreement: {
            id: expect.any(String),
            kind: 'CONFIDENTIALITY',
            title: 'Group Confidentiality',
            createdAt: expect.any(String),
            currentVersion: version,
            versions: [version],
          },
          userErrors: [],
        },
      },
    });
    const agreement = response.body.data.createAgreement.agreement;
    expect(agreement.currentVersion.agreement.id).toBe(agreement.id);
    expect(agreement.versions[0].id).toBe(agreement.currentVersion.id);
  });

  it('refuses a blank title or body', async () => {
    const response = await app.gql(CREATE, {
      token: world.admin.token,
      variables: { input: { kind: 'CONFIDENTIALITY', title: '  ', bodyMarkdown: '' } },
    });
    expect(response.body).toEqual({
      data: {
        createAgreement: {
          agreement: null,
          userErrors: [
            { code: 'REQUIRED', field: ['input', 'title'], message: expect.any(String) },
            { code: 'REQUIRED', field: ['input', 'bodyMarkdown'], message: expect.any(String) },
          ],
        },
      },
    });
  });

  it('is for admins only', async () => {
    const input = { kind: 'CONFIDENTIALITY', title: 'Nope', bodyMarkdown: 'Nope.' };
    for (const token of [world.therapists.lead.token, world.partners.referring.token, world.members.subject.token]) {
      expect((await app.gql(CREATE, { token, variables: { input } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['createAgreement'])],
      });
    }
  });
});

describe('publishAgreementVersion', () => {
  it('numbers versions 2, 3 and moves the current version along', async () => {
    const agreement = await createAgreement('Numbering');
    const v2 = await publish(agreement.id, 'Version two.', false);
    expect(v2.body).toEqual({
      data: {
        publishAgreementVersion: {
          agreementVersion: {
            id: expect.any(String),
            version: 2,
            bodyMarkdown: 'Version two.',
            requiresResign: false,
            publishedAt: expect.any(String),
            agreement: { id: agreement.id },
          },
          userErrors: [],
        },
      },
    });
    const v3 = await publish(agreement.id, 'Version three.', true);
    expect(v3.body.data.publishAgreementVersion.agreementVersion).toEqual({
      id: expect.any(String),
      version: 3,
      bodyMarkdown: 'Version three.',
      requiresResign: true,
      publishedAt: expect.any(String),
      agreement: { id: agreement.id },
    });

    const read = await app.gql(
      `query($id: ID!) { node(id: $id) { ... on Agreement { currentVersion { id version } versions { id version } } } }`,
      {
        variables: { id: agreement.id },
      },
    );
    expect(read.body).toEqual({
      data: {
        node: {
          currentVersion: { id: v3.body.data.publishAgreementVersion.agreementVersion.id, version: 3 },
          versions: [
            { id: v3.body.data.publishAgreementVersion.agreementVersion.id, version: 3 },
            { id: v2.body.data.publishAgreementVersion.agreementVersion.id, version: 2 },
            { id: agreement.currentVersion.id, version: 1 },
          ],
        },
      },
    });
  });

  it('gives concurrent publishes distinct, consecutive numbers', async () => {
    const agreement = await createAgreement('Concurrent');
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => publish(agreement.id, `Concurrent text ${i}.`)));
    for (const response of responses) {
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.publishAgreementVersion.userErrors).toEqual([]);
    }
    const numbers = responses.map((r) => r.body.data.publishAgreementVersion.agreementVersion.version).sort((a, b) => a - b);
    expect(numbers).toEqual([2, 3, 4, 5, 6, 7]);
    const rows = await app.db.query<{ version: number }>(
      `select v.version from agreement_version v join agreement a on a.id = v.agreement_id where a.title = 'Concurrent' order by v.version`,
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses an unknown agreement', async () => {
    const unknown = Buffer.from('Agreement:00000000-0000-7000-8000-000000000000').toString('base64url');
    expect((await publish(unknown, 'Text.')).body).toEqual({
      data: {
        publishAgreementVersion: {
          agreementVersion: null,
          userErrors: [{ code: 'NOT_FOUND', field: ['input', 'agreementId'], message: expect.any(String) }],
        },
      },
    });
  });

  it('is for admins only', async () => {
    const response = await app.gql(PUBLISH, {
      token: world.therapists.lead.token,
      variables: { input: { agreementId: world.agreement.globalId, bodyMarkdown: 'x', requiresResign: true } },
    });
    expect(response.body).toEqual({ data: null, errors: [topLevel('FORBIDDEN', ['publishAgreementVersion'])] });
  });
});

describe('agreements list', () => {
  it('is public, by title', async () => {
    const response = await app.gql(`{ agreements(first: 100) { totalCount nodes { title kind currentVersion { version } } } }`);
    expect(response.body.errors).toBeUndefined();
    const { nodes, totalCount } = response.body.data.agreements;
    expect(nodes.length).toBe(totalCount);
    const titles = nodes.map((n: { title: string }) => n.title);
    expect(titles).toEqual([...titles].sort());
    expect(nodes).toContainEqual({ title: 'Confidentiality', kind: 'CONFIDENTIALITY', currentVersion: { version: 1 } });
  });
});

describe('signAgreement', () => {
  it('records a signature by the member itself (channel MEMBER), readable by it', async () => {
    const agreement = await createAgreement('Member Signs');
    const response = await app.gql(SIGN, {
      token: world.members.another.token,
      variables: { input: { agreementId: agreement.id, typedName: 'Sam Otherperson' } },
    });
    expect(response.body).toEqual({
      data: {
        signAgreement: {
          signature: {
            id: expect.any(String),
            channel: 'MEMBER',
            signedAt: expect.any(String),
            member: { id: world.members.another.globalId, displayName: 'Sam' },
            agreementVersion: { id: agreement.currentVersion.id, version: 1 },
          },
          userErrors: [],
        },
      },
    });
    const signatureId = response.body.data.signAgreement.signature.id;
    const read = await app.gql(`query($id: ID!) { node(id: $id) { ... on Signature { channel typedName } } }`, {
      token: world.members.another.token,
      variables: { id: signatureId },
    });
    expect(read.body).toEqual({ data: { node: { channel: 'MEMBER', typedName: 'Sam Otherperson' } } });
    const [row] = await app.db.query<{ id: string; channel: string; partner_id: string | null }>(
      'select id, channel, partner_id from signature where agreement_version_id = $1',
      [Buffer.from(agreement.currentVersion.id, 'base64url').toString().split(':')[1]],
    );
    expect(row).toEqual({ id: expect.any(String), channel: 'MEMBER', partner_id: null });
    expect(await storedTypedName(app.db, row!.id)).toBe('Sam Otherperson');
  });

  it('records a signature by the referring partner (channel PARTNER), whose typed name the partner cannot read back', async () => {
    const agreement = await createAgreement('Partner Signs');
    const response = await app.gql(SIGN, {
      token: world.partners.referring.token,
      variables: { input: { agreementId: agreement.id, memberId: world.members.subject.globalId, typedName: 'Rowan Q. Quillfeather' } },
    });
    expect(response.body).toEqual({
      data: {
        signAgreement: {
          signature: {
            id: expect.any(String),
            channel: 'PARTNER',
            signedAt: expect.any(String),
            member: { id: world.members.subject.globalId, displayName: 'Rowan' },
            agreementVersion: { id: agreement.currentVersion.id, version: 1 },
          },
          userErrors: [],
        },
      },
    });
    const signatureId = response.body.data.signAgreement.signature.id;
    const asPartner = await app.gql(`query($id: ID!) { node(id: $id) { ... on Signature { channel typedName } } }`, {
      token: world.partners.referring.token,
      variables: { id: signatureId },
    });
    expect(asPartner.body).toEqual({
      data: { node: { channel: 'PARTNER', typedName: null } },
      errors: [topLevel('FORBIDDEN', ['node', 'typedName'])],
    });
    expect(asPartner.text).not.toContain('Quillfeather');
    const [row] = await app.db.query('select channel, partner_id from signature where id = $1', [
      Buffer.from(signatureId, 'base64url').toString().split(':')[1],
    ]);
    expect(row).toEqual({ channel: 'PARTNER', partner_id: world.partners.referring.id });
  });

  it('signs the latest version after a new one is published', async () => {
    const agreement = await createAgreement('Latest Version');
    const v2 = (await publish(agreement.id, 'Second text.')).body.data.publishAgreementVersion.agreementVersion;
    const response = await app.gql(SIGN, {
      token: world.members.subject.token,
      variables: { input: { agreementId: agreement.id, typedName: 'Rowan Q. Quillfeather' } },
    });
    expect(response.body.data.signAgreement.signature.agreementVersion).toEqual({ id: v2.id, version: 2 });
    expect(response.body.data.signAgreement.signature.channel).toBe('MEMBER');
  });

  it('refuses to sign the same version twice with INVALID_STATE, whoever records it', async () => {
    const agreement = await createAgreement('Twice');
    const first = await app.gql(SIGN, {
      token: world.members.subject.token,
      variables: { input: { agreementId: agreement.id, typedName: 'Rowan' } },
    });
    expect(first.body.data.signAgreement.userErrors).toEqual([]);
    const invalid = {
      data: {
        signAgreement: {
          signature: null,
          userErrors: [{ code: 'INVALID_STATE', field: ['input', 'agreementId'], message: expect.any(String) }],
        },
      },
    };
    expect(
      (await app.gql(SIGN, { token: world.members.subject.token, variables: { input: { agreementId: agreement.id, typedName: 'Rowan' } } }))
        .body,
    ).toEqual(invalid);
    expect(
      (
        await app.gql(SIGN, {
          token: world.partners.referring.token,
          variables: { input: { agreementId: agreement.id, memberId: world.members.subject.globalId, typedName: 'Rowan' } },
        })
      ).body,
    ).toEqual(invalid);
    expect(
      await app.db.query(
        `select count(*)::int as n from signature s join agreement_version v on v.id = s.agreement_version_id join agreement a on a.id = v.agreement_id where a.title = 'Twice'`,
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses a partner signing for a member it did not refer, or without naming one', async () => {
    const agreement = await createAgreement('Wrong Partner');
    expect(
      (
        await app.gql(SIGN, {
          token: world.partners.other.token,
          variables: { input: { agreementId: agreement.id, memberId: world.members.subject.globalId, typedName: 'Rowan' } },
        })
      ).body,
    ).toEqual({
      data: {
        signAgreement: { signature: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'memberId'], message: expect.any(String) }] },
      },
    });
    expect(
      (
        await app.gql(SIGN, {
          token: world.partners.referring.token,
          variables: { input: { agreementId: agreement.id, typedName: 'Rowan' } },
        })
      ).body,
    ).toEqual({
      data: {
        signAgreement: { signature: null, userErrors: [{ code: 'REQUIRED', field: ['input', 'memberId'], message: expect.any(String) }] },
      },
    });
  });

  it('refuses an unknown agreement', async () => {
    const unknown = Buffer.from('Agreement:00000000-0000-7000-8000-000000000000').toString('base64url');
    expect(
      (await app.gql(SIGN, { token: world.members.subject.token, variables: { input: { agreementId: unknown, typedName: 'Rowan' } } }))
        .body,
    ).toEqual({
      data: {
        signAgreement: {
          signature: null,
          userErrors: [{ code: 'NOT_FOUND', field: ['input', 'agreementId'], message: expect.any(String) }],
        },
      },
    });
  });

  it('is for members and partners only', async () => {
    const input = { agreementId: world.agreement.globalId, memberId: world.members.subject.globalId, typedName: 'Rowan' };
    for (const token of [world.admin.token, world.therapists.lead.token]) {
      expect((await app.gql(SIGN, { token, variables: { input } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['signAgreement'])],
      });
    }
    expect((await app.gql(SIGN, { variables: { input } })).body).toEqual({
      data: null,
      errors: [topLevel('UNAUTHENTICATED', ['signAgreement'])],
    });
  });
});
