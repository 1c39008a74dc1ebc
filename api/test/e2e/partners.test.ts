/**
 * Partners end to end: creation, API keys shown once and stored hashed, revocation, and who
 * may list or read partners.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { rawId, topLevelError as topLevel } from '../support/graphql-expect.js';
import { startWorld } from '../support/world.js';

const { app, world } = await startWorld();
afterAll(() => app.close());

const CREATE_PARTNER = `mutation($input: CreatePartnerInput!) {
  createPartner(input: $input) { partner { id name createdAt } userErrors { code field message } }
}`;
const CREATE_KEY = `mutation($input: CreatePartnerApiKeyInput!) {
  createPartnerApiKey(input: $input) {
    apiKey { id label prefix createdAt revokedAt lastUsedAt }
    secret
    userErrors { code field message }
  }
}`;
const REVOKE_KEY = `mutation($input: RevokePartnerApiKeyInput!) {
  revokePartnerApiKey(input: $input) { apiKey { id label prefix createdAt revokedAt lastUsedAt } userErrors { code field message } }
}`;
const VIEWER = '{ viewer { role partner { id name } } }';

const unauthenticated = { errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] };

async function createPartner(name: string) {
  const response = await app.gql(CREATE_PARTNER, { token: world.admin.token, variables: { input: { name } } });
  expect(response.body.data.createPartner.userErrors).toEqual([]);
  return response.body.data.createPartner.partner as { id: string; name: string; createdAt: string };
}

async function createKey(partnerId: string, label: string) {
  const response = await app.gql(CREATE_KEY, { token: world.admin.token, variables: { input: { partnerId, label } } });
  expect(response.body.data.createPartnerApiKey.userErrors).toEqual([]);
  return response.body.data.createPartnerApiKey as { apiKey: { id: string; prefix: string }; secret: string };
}

describe('createPartner', () => {
  it('creates a partner', async () => {
    const response = await app.gql(CREATE_PARTNER, { token: world.admin.token, variables: { input: { name: '  Harbour Health  ' } } });
    expect(response.body).toEqual({
      data: {
        createPartner: { partner: { id: expect.any(String), name: 'Harbour Health', createdAt: expect.any(String) }, userErrors: [] },
      },
    });
  });

  it('refuses a blank name', async () => {
    const response = await app.gql(CREATE_PARTNER, { token: world.admin.token, variables: { input: { name: ' ' } } });
    expect(response.body).toEqual({
      data: { createPartner: { partner: null, userErrors: [{ code: 'REQUIRED', field: ['input', 'name'], message: expect.any(String) }] } },
    });
  });

  it('is for admins only', async () => {
    for (const token of [world.partners.referring.token, world.therapists.lead.token, world.members.subject.token]) {
      expect((await app.gql(CREATE_PARTNER, { token, variables: { input: { name: 'X' } } })).body).toEqual({
        data: null,
        errors: [topLevel('FORBIDDEN', ['createPartner'])],
      });
    }
  });
});

describe('partner API keys', () => {
  it('returns the secret once; it works as a Bearer token at once and only its hash is stored', async () => {
    const partner = await createPartner('Key Clinic');
    const response = await app.gql(CREATE_KEY, {
      token: world.admin.token,
      variables: { input: { partnerId: partner.id, label: 'production app' } },
    });
    expect(response.body).toEqual({
      data: {
        createPartnerApiKey: {
          apiKey: {
            id: expect.any(String),
            label: 'production app',
            prefix: expect.stringMatching(/^kpk_.{6}$/),
            createdAt: expect.any(String),
            revokedAt: null,
            lastUsedAt: null,
          },
          secret: expect.stringMatching(/^kpk_[A-Za-z0-9_-]{40,}$/),
          userErrors: [],
        },
      },
    });
    const { apiKey, secret } = response.body.data.createPartnerApiKey;
    expect(secret.startsWith(apiKey.prefix)).toBe(true);

    expect((await app.gql(VIEWER, { token: secret })).body).toEqual({
      data: { viewer: { role: 'PARTNER', partner: { id: partner.id, name: 'Key Clinic' } } },
    });

    const rows = await app.db.query('select * from partner_api_key where partner_id = $1', [rawId(partner.id)]);
    expect(rows).toEqual([
      {
        id: rawId(apiKey.id),
        partner_id: rawId(partner.id),
        label: 'production app',
        prefix: apiKey.prefix,
        secret_hash: createHash('sha256').update(secret).digest('hex'),
        created_at: expect.any(Date),
        revoked_at: null,
        last_used_at: expect.any(Date),
      },
    ]);
    const everything = JSON.stringify(await app.db.query('select * from partner_api_key'));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secret.slice(10));
  });

  it('never shows the secret again: the partner lists its keys without it (admins only)', async () => {
    const partner = await createPartner('Listing Clinic');
    const first = await createKey(partner.id, 'first');
    const second = await createKey(partner.id, 'second');
    const response = await app.gql(`query($id: ID!) { partner(id: $id) { id name apiKeys { id label prefix revokedAt } } }`, {
      token: world.admin.token,
      variables: { id: partner.id },
    });
    expect(response.body).toEqual({
      data: {
        partner: {
          id: partner.id,
          name: 'Listing Clinic',
          apiKeys: [
            { id: second.apiKey.id, label: 'second', prefix: second.apiKey.prefix, revokedAt: null },
            { id: first.apiKey.id, label: 'first', prefix: first.apiKey.prefix, revokedAt: null },
          ],
        },
      },
    });
    expect(response.text).not.toContain(first.secret);
    expect(response.text).not.toContain(second.secret);

    // A partner reading itself does not see its keys.
    const asPartner = await app.gql(`query($id: ID!) { partner(id: $id) { id apiKeys { id } } }`, {
      token: first.secret,
      variables: { id: partner.id },
    });
    expect(asPartner.body).toEqual({
      data: { partner: { id: partner.id, apiKeys: null } },
      errors: [topLevel('FORBIDDEN', ['partner', 'apiKeys'])],
    });
  });

  it('revokes a key: it stops working at once, other keys keep working', async () => {
    const partner = await createPartner('Revoking Clinic');
    const doomed = await createKey(partner.id, 'old app');
    const kept = await createKey(partner.id, 'new app');
    expect((await app.gql(VIEWER, { token: doomed.secret })).status).toBe(200);

    const response = await app.gql(REVOKE_KEY, { token: world.admin.token, variables: { input: { apiKeyId: doomed.apiKey.id } } });
    expect(response.body).toEqual({
      data: {
        revokePartnerApiKey: {
          apiKey: {
            id: doomed.apiKey.id,
            label: 'old app',
            prefix: doomed.apiKey.prefix,
            createdAt: expect.any(String),
            revokedAt: expect.any(String),
            lastUsedAt: expect.any(String),
          },
          userErrors: [],
        },
      },
    });

    const refused = await app.gql(VIEWER, { token: doomed.secret });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(unauthenticated);
    expect((await app.gql(VIEWER, { token: kept.secret })).body).toEqual({
      data: { viewer: { role: 'PARTNER', partner: { id: partner.id, name: 'Revoking Clinic' } } },
    });

    // Revoking twice is refused.
    expect((await app.gql(REVOKE_KEY, { token: world.admin.token, variables: { input: { apiKeyId: doomed.apiKey.id } } })).body).toEqual({
      data: {
        revokePartnerApiKey: {
          apiKey: null,
          userErrors: [{ code: 'INVALID_STATE', field: ['input', 'apiKeyId'], message: expect.any(String) }],
        },
      },
    });
  });

  it('refuses an unknown partner or key', async () => {
    const unknownPartner = Buffer.from('Partner:00000000-0000-7000-8000-000000000000').toString('base64url');
    const unknownKey = Buffer.from('PartnerApiKey:00000000-0000-7000-8000-000000000000').toString('base64url');
    expect(
      (await app.gql(CREATE_KEY, { token: world.admin.token, variables: { input: { partnerId: unknownPartner, label: 'x' } } })).body,
    ).toEqual({
      data: {
        createPartnerApiKey: {
          apiKey: null,
          secret: null,
          userErrors: [{ code: 'NOT_FOUND', field: ['input', 'partnerId'], message: expect.any(String) }],
        },
      },
    });
    expect((await app.gql(REVOKE_KEY, { token: world.admin.token, variables: { input: { apiKeyId: unknownKey } } })).body).toEqual({
      data: {
        revokePartnerApiKey: {
          apiKey: null,
          userErrors: [{ code: 'NOT_FOUND', field: ['input', 'apiKeyId'], message: expect.any(String) }],
        },
      },
    });
  });

  it('is for admins only: a partner cannot mint or revoke keys, even its own', async () => {
    const token = world.partners.referring.token;
    expect(
      (await app.gql(CREATE_KEY, { token, variables: { input: { partnerId: world.partners.referring.globalId, label: 'mine' } } })).body,
    ).toEqual({
      data: null,
      errors: [topLevel('FORBIDDEN', ['createPartnerApiKey'])],
    });
    const keyId = (
      await app.db.query<{ id: string }>('select id from partner_api_key where partner_id = $1', [world.partners.referring.id])
    )[0]!.id;
    const globalKeyId = Buffer.from(`PartnerApiKey:${keyId}`).toString('base64url');
    expect((await app.gql(REVOKE_KEY, { token, variables: { input: { apiKeyId: globalKeyId } } })).body).toEqual({
      data: null,
      errors: [topLevel('FORBIDDEN', ['revokePartnerApiKey'])],
    });
    // Nor read a key by node ID.
    expect((await app.gql(`query($id: ID!) { node(id: $id) { id } }`, { token, variables: { id: globalKeyId } })).body).toEqual({
      data: { node: null },
      errors: [topLevel('NOT_FOUND', ['node'])],
    });
  });
});

describe('reading partners', () => {
  const LIST = '{ partners(first: 100) { totalCount nodes { id name } } }';
  const ONE = 'query($id: ID!) { partner(id: $id) { id name createdAt } }';

  it('lists every partner, by name, to admins', async () => {
    const response = await app.gql(LIST, { token: world.admin.token });
    expect(response.body.errors).toBeUndefined();
    const { nodes, totalCount } = response.body.data.partners;
    const [{ n }] = (await app.db.query<{ n: number }>('select count(*)::int as n from partner')) as [{ n: number }];
    expect(totalCount).toBe(n);
    expect(nodes).toHaveLength(n);
    const names = nodes.map((p: { name: string }) => p.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(nodes).toContainEqual({ id: world.partners.referring.globalId, name: 'Referring Clinic' });
    expect(nodes).toContainEqual({ id: world.partners.other.globalId, name: 'Other Clinic' });
  });

  it('refuses the list to partners, therapists and members (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    for (const token of [world.partners.referring.token, world.therapists.lead.token, world.members.subject.token]) {
      expect((await app.gql(LIST, { token })).body).toEqual({ data: null, errors: [topLevel('FORBIDDEN', ['partners'])] });
    }
    expect((await app.gql(LIST)).body).toEqual({ data: null, errors: [topLevel('UNAUTHENTICATED', ['partners'])] });
  });

  it('lets a partner read itself only; another partner is NOT_FOUND', async () => {
    expect(
      (await app.gql(ONE, { token: world.partners.referring.token, variables: { id: world.partners.referring.globalId } })).body,
    ).toEqual({
      data: { partner: { id: world.partners.referring.globalId, name: 'Referring Clinic', createdAt: expect.any(String) } },
    });
    expect((await app.gql(ONE, { token: world.partners.referring.token, variables: { id: world.partners.other.globalId } })).body).toEqual({
      data: { partner: null },
      errors: [topLevel('NOT_FOUND', ['partner'])],
    });
    expect(
      (
        await app.gql(`query($id: ID!) { node(id: $id) { id } }`, {
          token: world.partners.referring.token,
          variables: { id: world.partners.other.globalId },
        })
      ).body,
    ).toEqual({ data: { node: null }, errors: [topLevel('NOT_FOUND', ['node'])] });
  });

  it('lets admins read any partner, and refuses therapists and members', async () => {
    expect((await app.gql(ONE, { token: world.admin.token, variables: { id: world.partners.other.globalId } })).body).toEqual({
      data: { partner: { id: world.partners.other.globalId, name: 'Other Clinic', createdAt: expect.any(String) } },
    });
    for (const token of [world.therapists.lead.token, world.members.subject.token]) {
      expect((await app.gql(ONE, { token, variables: { id: world.partners.referring.globalId } })).body).toEqual({
        data: { partner: null },
        errors: [topLevel('FORBIDDEN', ['partner'])],
      });
    }
  });
});
