/**
 * The admin app runs under a strict Content-Security-Policy without 'unsafe-inline' (README, "Admin
 * app"). PrimeVue's tooltip directive sets a `style` attribute on the element it creates, which that
 * policy refuses (seen as a console error in Chromium whenever a tooltip showed): keep it out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(process.cwd(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'gql' ? [] : files(join(dir, e.name))) : /\.(vue|ts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('CSP-unsafe PrimeVue pieces', () => {
  it('no source uses the tooltip directive', () => {
    const found = files(SRC)
      .filter((f) => !f.endsWith('csp.test.ts'))
      .filter((f) => /v-tooltip|primevue\/tooltip/.test(readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
