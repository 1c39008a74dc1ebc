/**
 * The field policy covers the schema (docs/personal-identifiers.md; docs/decisions/0003-field-policy-table.md): every field
 * of a type that holds personal data has an entry in the one policy table, every protected
 * field is nullable and guarded, personal data cannot escape through another type, and nothing
 * outside mutation inputs (no query argument, no filter, no sort) is named after an identifier.
 *
 * Checked on the executable schema (`createSchema()`) and on the committed SDL.
 */
import { randomBytes } from 'node:crypto';
import { seal, sealedPlaces } from '@kindred/crypto';
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fieldPolicy, PERSONAL_DATA_TYPES } from '../../src/authz/field-policy.js';
import { createSchema } from '../../src/app/schema.js';

/** Written by hand from docs/personal-identifiers.md: the protected fields and where they live. */
const PROTECTED: Record<string, string[]> = {
  Member: ['legalName', 'email', 'phone', 'dateOfBirth', 'emergencyContact'],
  Signature: ['typedName'],
};
/** Written by hand: fields about a member that only the member itself reads (not identifiers, not audited). */
const SELF_ONLY: Record<string, string[]> = { Member: ['identifierReads'] };
/**
 * Members' identifiers, who read them, the export of a member's data; and `Admin`, whose staff
 * sign-in address is listed so the check below covers it.
 */
const EXPECTED_PERSONAL_DATA_TYPES = ['Member', 'EmergencyContact', 'Signature', 'IdentifierRead', 'MemberDataExport', 'Admin'];
/**
 * Types whose fields are `withParent` because the one field that leads to them is guarded (or is
 * an operation only its owner may call): they must be reachable through nothing else.
 */
const ONLY_REACHED_THROUGH: Record<string, string[]> = {
  EmergencyContact: ['Member.emergencyContact'],
  IdentifierReadConnection: ['Member.identifierReads'],
  IdentifierReadEdge: ['IdentifierReadConnection.edges'],
  IdentifierRead: ['IdentifierReadConnection.nodes', 'IdentifierReadEdge.node'],
  MemberDataExport: ['Query.exportMyData'],
};

/** A name that refers to a personal identifier (whole word or part: `emailContains`, `orderByPhone`, `DATE_OF_BIRTH`). */
const IDENTIFIER_NAME = /legal_?name|e_?mail|phone|birth|dob|emergency|typed_?name/i;

/**
 * Fields named after the caller's own sign-in address. The mutations act on it but never answer
 * with it (their payloads are checked like every other type, so a payload field named after an
 * identifier still fails the test below); `Viewer.signInEmail` answers a staff caller its own
 * address and null to everyone else (test/authz/second-factor.test.ts).
 */
const OWN_SIGN_IN_MUTATIONS = ['Mutation.verifyEmail', 'Mutation.changeSignInEmail', 'Mutation.confirmSignInEmail', 'Viewer.signInEmail'];

const policy = fieldPolicy as Record<string, Record<string, { kind: string }>>;

const schemas: [string, () => GraphQLSchema][] = [];
let executable: GraphQLSchema;
let committed: GraphQLSchema;
beforeAll(async () => {
  executable = await createSchema();
  committed = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));
});
schemas.push(['createSchema()', () => executable], ['schema/schema.graphql', () => committed]);

function objectFields(schema: GraphQLSchema): [GraphQLNamedType, GraphQLField<unknown, unknown>][] {
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isInterfaceType(t)))
    .flatMap((t) =>
      Object.values((t as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()).map(
        (f) => [t, f] as [GraphQLNamedType, GraphQLField<unknown, unknown>],
      ),
    );
}

/**
 * Everything a client can use to select, filter, sort or search by outside mutations: the
 * arguments of every field except the mutation roots, and every input field and enum value
 * reachable from them, plus any input type named like a filter or an ordering. Mutation inputs
 * (registerMember's email, signAgreement's typedName) are writing, not filtering: not listed.
 */
function identifierNamedLookups(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  const mutation = schema.getMutationType();
  const seen = new Set<string>();
  const visitInput = (type: GraphQLNamedType, via: string) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (IDENTIFIER_NAME.test(value.name)) found.push(`${via} → ${type.name}.${value.name}`);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (IDENTIFIER_NAME.test(field.name)) found.push(`${via} → ${type.name}.${field.name}`);
        visitInput(getNamedType(field.type), via);
      }
    }
  };
  for (const [type, field] of objectFields(schema)) {
    if (mutation && type.name === mutation.name) continue;
    for (const arg of field.args) {
      const where = `${type.name}.${field.name}(${arg.name})`;
      if (IDENTIFIER_NAME.test(arg.name)) found.push(where);
      visitInput(getNamedType(arg.type), where);
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInputObjectType(type) || !/filter|where|order|sort|search|condition/i.test(type.name)) continue;
    for (const field of Object.values((type as GraphQLInputObjectType).getFields())) {
      if (IDENTIFIER_NAME.test(field.name)) found.push(`${type.name}.${field.name}`);
    }
  }
  return [...new Set(found)].sort();
}

describe('the policy table', () => {
  it('names exactly the protected fields of docs/personal-identifiers.md as identifiers', () => {
    const identifiers = Object.fromEntries(
      Object.entries(policy)
        .map(
          ([type, fields]) =>
            [
              type,
              Object.keys(fields)
                .filter((f) => fields[f]!.kind === 'identifier')
                .sort(),
            ] as const,
        )
        .filter(([, fields]) => fields.length > 0),
    );
    expect(identifiers).toEqual(Object.fromEntries(Object.entries(PROTECTED).map(([t, f]) => [t, [...f].sort()])));
  });

  it('names exactly the fields only the member itself reads as selfOnly', () => {
    const selfOnly = Object.entries(policy)
      .map(([type, fields]) => [type, Object.keys(fields).filter((f) => fields[f]!.kind === 'selfOnly')] as const)
      .filter(([, fields]) => fields.length > 0);
    expect(Object.fromEntries(selfOnly)).toEqual(SELF_ONLY);
  });

  it('lists the types that hold personal data', () => {
    expect([...PERSONAL_DATA_TYPES].sort()).toEqual([...EXPECTED_PERSONAL_DATA_TYPES].sort());
  });
});

describe.each(schemas)('%s', (_name, schemaOf) => {
  it('has a policy entry for every field of every type that holds personal data, and no entry for a missing field', () => {
    const missing: string[] = [];
    const stale: string[] = [];
    for (const typeName of PERSONAL_DATA_TYPES) {
      const type = schemaOf().getType(typeName);
      expect(isObjectType(type), `${typeName} is an object type`).toBe(true);
      if (!isObjectType(type)) continue;
      const entries = policy[typeName] ?? {};
      for (const field of Object.keys(type.getFields())) if (!(field in entries)) missing.push(`${typeName}.${field}`);
      for (const field of Object.keys(entries)) if (!(field in type.getFields())) stale.push(`${typeName}.${field}`);
    }
    expect(missing, 'fields without a policy entry').toEqual([]);
    expect(stale, 'policy entries naming no field').toEqual([]);
  });

  it('makes every protected field nullable, so a denied read can answer null', () => {
    for (const [typeName, fields] of Object.entries(PROTECTED)) {
      const type = schemaOf().getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is missing`);
      for (const field of fields) expect(isNonNullType(type.getFields()[field]!.type), `${typeName}.${field} is nullable`).toBe(false);
    }
  });

  it('keeps personal data inside the personal-data types', () => {
    const outside = objectFields(schemaOf())
      .filter(([type]) => !PERSONAL_DATA_TYPES.includes(type.name as never))
      .filter(([, field]) => IDENTIFIER_NAME.test(field.name))
      .map(([type, field]) => `${type.name}.${field.name}`)
      .filter((name) => !OWN_SIGN_IN_MUTATIONS.includes(name));
    expect(outside, 'identifier-like fields on types outside the policy').toEqual([]);

    // EmergencyContact's and IdentifierRead's own fields are `withParent`: each must only be
    // reachable through its guarded field (MemberDataExport through the members-only operation).
    const reachedThrough = Object.fromEntries(
      Object.keys(ONLY_REACHED_THROUGH).map((typeName) => [
        typeName,
        objectFields(schemaOf())
          .filter(([, field]) => getNamedType(field.type).name === typeName)
          .map(([type, field]) => `${type.name}.${field.name}`)
          .sort(),
      ]),
    );
    expect(reachedThrough).toEqual(ONLY_REACHED_THROUGH);
  });

  it('has no query argument, filter, sort or search named after an identifier', () => {
    expect(identifierNamedLookups(schemaOf())).toEqual([]);
  });
});

describe('the lookup check itself', () => {
  it('finds identifier-named arguments, filter fields and sort values, but not mutation inputs', () => {
    const schema = buildSchema(`
      type Member { id: ID! displayName: String! }
      enum MemberOrderField { DISPLAY_NAME EMAIL }
      input MemberOrder { field: MemberOrderField! }
      input MemberFilter { legalNameContains: String nested: NestedFilter }
      input NestedFilter { dateOfBirthAfter: String }
      input SearchCondition { phone: String }
      input RegisterInput { email: String! typedName: String! }
      type Query {
        members(email: String, filter: MemberFilter, orderBy: MemberOrder): [Member!]!
        member(id: ID!): Member
      }
      type Mutation { register(input: RegisterInput!): Member }
    `);
    expect(identifierNamedLookups(schema)).toEqual(
      [
        'Query.members(email)',
        'Query.members(filter) → MemberFilter.legalNameContains',
        'Query.members(filter) → NestedFilter.dateOfBirthAfter',
        'MemberFilter.legalNameContains',
        'NestedFilter.dateOfBirthAfter',
        'Query.members(orderBy) → MemberOrderField.EMAIL',
        'SearchCondition.phone',
      ].sort(),
    );
  });
});

describe('enforcement on the executable schema', () => {
  const KEY = randomBytes(32);
  const parents: Record<string, object> = {
    Member: { id: 'member-1' },
    Signature: { id: 'signature-1', member: { id: 'member-1' }, typedName: seal(KEY, 'T. Name', sealedPlaces.signature('signature-1')) },
  };
  const identity = {
    legalName: 'L',
    email: 'e@x.org',
    phone: '+14155550000',
    dateOfBirth: '1990-01-01',
    emergencyContactName: 'N',
    emergencyContactPhone: '+14155550001',
    emergencyContactRelationship: null,
  };
  const protectedFields = Object.entries(PROTECTED).flatMap(([type, fields]) => fields.map((field) => [type, field] as const));

  function context(viewer: object) {
    const loaders = new Proxy(
      {
        identityOfMember: { load: async () => identity },
        dataKeyOfMember: { load: async () => KEY },
        assignedToViewer: { load: async () => false },
      },
      {
        get(target, key) {
          if (key in target) return target[key as keyof typeof target];
          throw new Error(`unexpected loader ${String(key)}`);
        },
      },
    );
    return { viewer, loaders, audit: { record: vi.fn(async () => {}) } };
  }

  it.each(protectedFields)('denies %s.%s to an admin before resolving or auditing anything', async (type, field) => {
    const resolve = (executable.getType(type) as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[field]!
      .resolve!;
    const ctx = context({ kind: 'ADMIN', accountId: 'admin-1' });
    ctx.loaders.identityOfMember.load = async () => {
      throw new Error('identifiers loaded before the policy was checked');
    };
    ctx.loaders.dataKeyOfMember.load = async () => {
      throw new Error('a data key loaded before the policy was checked');
    };
    await expect(Promise.resolve(resolve(parents[type], {}, ctx, {} as never))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(ctx.audit.record).not.toHaveBeenCalled();
  });

  it.each([
    ['an admin', { kind: 'ADMIN', accountId: 'admin-1' }],
    ['an assigned therapist', { kind: 'THERAPIST', accountId: 'account-2', therapistId: 'therapist-1' }],
    ['the referring partner', { kind: 'PARTNER', partnerId: 'partner-1', apiKeyId: 'key-1' }],
    ['another member', { kind: 'MEMBER', accountId: 'account-3', memberId: 'member-2', memberIds: ['member-2'] }],
  ])('denies Member.identifierReads to %s before loading or auditing anything', async (_who, viewer) => {
    const resolve = (executable.getType('Member') as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()
      .identifierReads!.resolve!;
    const ctx = context(viewer);
    ctx.loaders.assignedToViewer.load = async () => true;
    // No entity manager in this context: a page would fail with a TypeError, not FORBIDDEN.
    await expect((async () => resolve(parents.Member, { first: 20 }, ctx, {} as never))()).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(ctx.audit.record).not.toHaveBeenCalled();
  });

  it.each(protectedFields)('resolves %s.%s for the member itself and audits that one read', async (type, field) => {
    const resolve = (executable.getType(type) as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[field]!
      .resolve!;
    const ctx = context({ kind: 'MEMBER', accountId: 'account-1', memberId: 'member-1', memberIds: ['member-1'] });
    expect(await resolve(parents[type], {}, ctx, {} as never)).not.toBeNull();
    expect(ctx.audit.record.mock.calls).toEqual([['member-1', field]]);
  });
});
