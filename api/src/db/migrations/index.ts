import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchema } from './20261125-0001-initial-schema.js';

/** Applied in order; add each new migration here. */
export const migrationsList: MigrationObject[] = [{ name: '20261125-0001-initial-schema', class: InitialSchema }];
