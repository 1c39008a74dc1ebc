import { readFile } from 'node:fs/promises';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema, printInputConstraints, printSdl } from '../../src/app/schema.js';

const committed = (file = 'schema.graphql') => readFile(new URL(`../../../schema/${file}`, import.meta.url), 'utf8');

describe('schema/schema.graphql', () => {
  it('is exactly what the code emits (run `pnpm schema:emit` after changing the API)', async () => {
    expect(await committed()).toBe(printSdl(await createSchema()));
  });

  it('comes with input-constraints.json exactly as the code emits it', async () => {
    await createSchema();
    expect(await committed('input-constraints.json')).toBe(printInputConstraints());
  });

  it('describes every type, field, argument and enum value for partner developers', async () => {
    const schema = await createSchema();
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) undocumented.push(`${type.name}.${value.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});
