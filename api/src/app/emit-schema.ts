import { writeFile } from 'node:fs/promises';
import { createSchema, printInputConstraints, printSdl } from './schema.js';

/** Writes schema/schema.graphql and schema/input-constraints.json from the code (`pnpm schema:emit`). */
const sdl = new URL('../../../schema/schema.graphql', import.meta.url);
const constraints = new URL('../../../schema/input-constraints.json', import.meta.url);
await writeFile(sdl, printSdl(await createSchema()));
await writeFile(constraints, printInputConstraints());
console.log(`wrote ${sdl.pathname} and ${constraints.pathname}`);
