import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { grouped, viewsWhere } from '../../db/view-loaders.js';
import { AttendanceEntity } from './attendance.entity.js';

/** Batch loaders of the attendance module (per request; see app/loaders.ts). */
export function attendanceLoaders(em: EntityManager) {
  return {
    attendanceOfMember: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, AttendanceEntity, 'where member_id = any($1::uuid[]) order by recorded_at', [ids]);
      return grouped(ids, found, (a) => a.member.id);
    }),

    attendanceOfSession: new DataLoader(async (ids: readonly string[]) => {
      const found = await viewsWhere(em, AttendanceEntity, 'where session_id = any($1::uuid[]) order by recorded_at', [ids]);
      return grouped(ids, found, (a) => a.session.id);
    }),
  };
}

declare module '../../graphql/context.js' {
  interface Loaders extends ReturnType<typeof attendanceLoaders> {}
}
