import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The API's source folder, for tests that read the code itself. */
export const API_SRC = new URL('../../src/', import.meta.url).pathname;

/** Every `.ts` file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}
