/**
 * The `operation` label of the request metrics (metrics/operation-label.ts) over Kindred's real
 * schema: always a root field of the schema or one of three fixed words, whatever a client
 * names its operation, aliases its fields or hides them in fragments.
 */
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/app/schema.js';
import { INVALID_OPERATION, operationLabel, SEVERAL_OPERATIONS, textLabeller } from '../../src/metrics/operation-label.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema();
});

const label = (query: string, operationName?: string) => operationLabel(schema, parse(query), operationName);

describe('operation label', () => {
  it('is the root field, under any operation name or alias', () => {
    expect(label('query AnyNameAtAll { groups(first: 1) { totalCount } }', 'AnyNameAtAll')).toBe('groups');
    expect(label('{ first: groups(first: 1) { totalCount } second: groups(first: 2) { totalCount } }')).toBe('groups');
    expect(label('mutation Chosen { reserveSeat(input: { groupId: "x", memberId: "y" }) { userErrors { code } } }')).toBe('reserveSeat');
  });

  it('finds root fields through inline fragments and fragment spreads', () => {
    expect(label('{ ... on Query { viewer { role } } }')).toBe('viewer');
    expect(label('query { ...Root } fragment Root on Query { programs(first: 1) { totalCount } }')).toBe('programs');
    expect(label('query { ...A ...B } fragment A on Query { viewer { role } } fragment B on Query { viewer { role } }')).toBe('viewer');
  });

  it('is `multiple` for several different root fields, so combinations never become labels', () => {
    expect(label('{ groups(first: 1) { totalCount } programs(first: 1) { totalCount } }')).toBe(SEVERAL_OPERATIONS);
    expect(label('{ viewer { role } ... on Query { groups(first: 1) { totalCount } } }')).toBe(SEVERAL_OPERATIONS);
  });

  it('keeps the meta fields each root type has, and nothing else', () => {
    expect(label('{ __typename }')).toBe('__typename');
    expect(label('{ __schema { queryType { name } } }')).toBe('__schema');
    expect(label('mutation { __typename }')).toBe('__typename');
    expect(label('mutation { __schema { queryType { name } } }')).toBe(INVALID_OPERATION);
  });

  it('is `invalid` for unknown fields, missing fragments, no selected operation, or a missing root type', () => {
    expect(label('{ ClientChosenField }')).toBe(INVALID_OPERATION);
    expect(label('{ groups(first: 1) { totalCount } ClientChosenField }')).toBe(INVALID_OPERATION);
    expect(label('query { ...Missing }')).toBe(INVALID_OPERATION);
    expect(label('query A { viewer { role } } query B { groups(first: 1) { totalCount } }')).toBe(INVALID_OPERATION);
    expect(label('query A { viewer { role } } query B { groups(first: 1) { totalCount } }', 'B')).toBe('groups');
    expect(label('query A { viewer { role } }', 'NoSuchOperation')).toBe(INVALID_OPERATION);
    expect(label('subscription { viewer { role } }')).toBe(INVALID_OPERATION);
  });

  it('ends on fragments that spread each other (a document validation would refuse)', () => {
    expect(label('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A viewer { role } }')).toBe('viewer');
  });

  it('labels query texts, unparseable or not text at all included', () => {
    const labelOf = textLabeller(schema);
    expect(labelOf('query Mine { groups(first: 1) { totalCount } }', 'Mine')).toBe('groups');
    expect(labelOf('query {', undefined)).toBe(INVALID_OPERATION);
    expect(labelOf({ query: 'groups' }, undefined)).toBe(INVALID_OPERATION);
    expect(labelOf('query Mine { groups(first: 1) { totalCount } }', 42)).toBe('groups');
  });
});
