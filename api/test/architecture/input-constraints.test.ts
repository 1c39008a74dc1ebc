/**
 * Each input's constraints are declared once (docs/decisions/0005-inputs-from-zod.md): in the zod
 * schema its GraphQL input type is generated from. This enumerates every input type of the
 * schema and fails when one was written by hand (a class with its own field list, which could
 * carry bounds of its own), when a hand-written description states a bound (a second
 * declaration, in words), or when the API's source declares an input class outside the generator.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSchema } from '../../src/app/schema.js';
import { generatedInputTypes, inputConstraints } from '../../src/graphql/input-type.js';
import { API_SRC, sourceFiles } from '../support/source-files.js';

/**
 * A bound stated in words: "1 to 200", "at most 10", "at least 12 characters", "(max 500)" — but
 * not a duration ("for at least 24 hours" is a promise about keys, not a bound of the input).
 */
const BOUND_IN_WORDS =
  /\b\d+\s*(?:to|–|-)\s*\d+\b|\b(?:at most|at least|up to|max(?:imum)?|min(?:imum)?)\s*\d+(?!\d|\s*(?:hours?|minutes?|days?|seconds?)\b)|\b\d+\s*(?:characters|chars|items)\b/i;

describe('input constraints', () => {
  it('come from a zod schema for every input type in the schema', async () => {
    const schema = await createSchema();
    const inputs = Object.values(schema.getTypeMap()).filter(isInputObjectType);
    expect(inputs.length).toBeGreaterThan(20);
    expect(inputs.map((type) => type.name).filter((name) => !generatedInputTypes.has(name))).toEqual([]);
  });

  it('are stated in a description only by the generated sentence, never by hand', async () => {
    const schema = await createSchema();
    const stated: string[] = [];
    for (const type of Object.values(schema.getTypeMap()).filter(isInputObjectType)) {
      for (const field of Object.values(type.getFields())) {
        const generated = inputConstraints[type.name]?.[field.name];
        let handWritten = field.description ?? '';
        // The generated sentence is the description's tail; what precedes it was written by hand.
        if (generated) handWritten = handWritten.replace(/\s(?:\d+ to \d+ characters\.|At most|From|At least|Each:).*$/s, '');
        if (BOUND_IN_WORDS.test(handWritten)) stated.push(`${type.name}.${field.name}: ${handWritten}`);
      }
    }
    expect(stated).toEqual([]);
  });

  it('recognises a bound written by hand', () => {
    expect(
      ['Seats, 1 to 500.', 'Focus areas (at most 10).', 'Password, at least 12 characters.'].map((d) => BOUND_IN_WORDS.test(d)),
    ).toEqual([true, true, true]);
    expect(BOUND_IN_WORDS.test('returns the first result for at least 24 hours')).toBe(false);
  });

  it('have no hand-written input class in the API source', () => {
    const classes = sourceFiles(API_SRC)
      .filter((file) => relative(API_SRC, file) !== 'graphql/input-type.ts')
      .filter((file) => /@InputType\(|\bInputType\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(API_SRC, file));
    expect(classes).toEqual([]);
  });
});
