/**
 * Seat functions are versioned so a rolling deploy works (docs/decisions/0010-seat-functions.md):
 * a released `<name>_vN` is never replaced in place — a change adds `<name>_vN+1` in a new
 * migration while processes of the old release keep calling vN — and the API calls only
 * versions some migration creates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { API_SRC, sourceFiles } from '../support/source-files.js';

const MIGRATIONS = join(API_SRC, 'app/migrations');
const migrationText = sourceFiles(MIGRATIONS).map((file) => readFileSync(file, 'utf8'));

it('never replaces a released versioned function in place', () => {
  const replaced = migrationText.flatMap((text) =>
    [...text.matchAll(/create\s+or\s+replace\s+function\s+"?(\w+_v\d+)"?/gi)].map((m) => m[1]),
  );
  expect(replaced).toEqual([]);
});

it('calls only versioned functions that a migration creates', () => {
  const created = new Set(migrationText.flatMap((text) => [...text.matchAll(/create\s+function\s+"?(\w+_v\d+)"?/gi)].map((m) => m[1])));
  const called = sourceFiles(API_SRC)
    .filter((file) => !file.startsWith(MIGRATIONS))
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\b(\w+_v\d+)\(/g)].map((m) => m[1]!));
  expect(called.length).toBeGreaterThan(5);
  expect(called.filter((name) => !created.has(name))).toEqual([]);
});
