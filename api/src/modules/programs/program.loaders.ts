import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { grouped, groupedViews, rows, viewById, viewsWhere } from '../../db/view-loaders.js';
import { viewColumns } from '../../db/views.js';
import { TherapistEntity } from '../therapists/index.js';
import { ProgramEntity, ProgramModuleEntity } from './program.entity.js';

/** Batch loaders of the programs module (per request; see app/loaders.ts). */
export function programLoaders(em: EntityManager) {
  return {
    program: viewById(em, ProgramEntity),
    programModule: viewById(em, ProgramModuleEntity),

    /** A program's modules in order. */
    modulesOfProgram: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, ProgramModuleEntity, sql`where program_id = any(${ids}::uuid[]) order by position`);
      return grouped(ids, found, (m) => m.program.id);
    }),

    /** A program's authoring therapists, by display name. */
    authorsOfProgram: new DataLoader(async (ids: readonly string[]) => {
      const found = await rows(
        em,
        sql`select pa.program_id, ${viewColumns(em, TherapistEntity, 't')}
           from program_author pa join therapist t on t.id = pa.therapist_id
          where pa.program_id = any(${ids}::uuid[]) order by t.display_name, t.id`,
      );
      return groupedViews(em, TherapistEntity, ids, found, 'program_id');
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof programLoaders> {}
}
