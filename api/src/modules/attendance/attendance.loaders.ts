import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { sql } from '../../db/sql.js';
import { grouped, viewsWhere } from '../../db/view-loaders.js';
import { AttendanceEntity } from './attendance.entity.js';

/** Batch loaders of the attendance module (per request; see app/loaders.ts). */
export function attendanceLoaders(em: EntityManager) {
  return {
    attendanceOfMember: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, AttendanceEntity, sql`where member_id = any(${ids}::uuid[]) order by recorded_at`);
      return grouped(ids, found, (a) => a.member.id);
    }),

    attendanceOfSession: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, AttendanceEntity, sql`where session_id = any(${ids}::uuid[]) order by recorded_at`);
      return grouped(ids, found, (a) => a.session.id);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof attendanceLoaders> {}
}
