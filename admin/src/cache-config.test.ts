import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cacheConfig, EMBEDDED_TYPES } from './cache-config';

describe('cache keys', () => {
  it('embeds exactly the schema’s object types that have no id', () => {
    const schema = buildSchema(readFileSync(resolve(process.cwd(), '../schema/schema.graphql'), 'utf8'));
    const keyless = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith('__') && t.name !== 'Query' && t.name !== 'Mutation')
      .filter((t) => isObjectType(t) && !t.getFields().id)
      .map((t) => t.name)
      .sort();
    expect([...EMBEDDED_TYPES].sort()).toEqual(keyless);
  });

  it('keeps each staff action’s changes with the action, though a change’s id is the changed object’s', () => {
    expect(cacheConfig.keys?.StaffActionChange?.({ __typename: 'StaffActionChange', id: 'row-1' })).toBeNull();
  });
});
