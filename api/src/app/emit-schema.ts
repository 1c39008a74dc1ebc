import { writeFile } from 'node:fs/promises';
import { createSchema, printSdl } from './schema.js';

/** Writes schema/schema.graphql from the code (`pnpm schema:emit`). */
const target = new URL('../../../schema/schema.graphql', import.meta.url);
await writeFile(target, printSdl(await createSchema()));
console.log(`wrote ${target.pathname}`);
