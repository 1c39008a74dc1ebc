import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { grouped, rows } from '../db/view-loaders.js';
import type { Viewer } from './viewer.js';
import { sql } from '../db/sql.js';

/**
 * The loaders behind the access rules (rules.ts), per request. Both read the SQL views
 * `therapist_group_access` and `therapist_member` (migration 0010), the one place the
 * assigned-therapist rule is written: current assignments of approved therapists, until 90 days
 * after the group ended.
 */
export function accessLoaders(em: EntityManager, viewer: Viewer) {
  return {
    /** Groups whose members a therapist may read, as their current lead or co-therapist (key: therapist id). */
    groupIdsOfTherapist: new DataLoader<string, Set<string>>(async (ids) => {
      const found = await rows(em, sql`select therapist_id, group_id from therapist_group_access where therapist_id = any(${ids}::uuid[])`);
      return grouped(ids, found, (r) => r.therapist_id as string).map((list) => new Set(list.map((r) => r.group_id as string)));
    }),

    /** Whether the viewing therapist is assigned to each member (key: member id). */
    assignedToViewer: new DataLoader<string, boolean>(async (memberIds) => {
      if (viewer.kind !== 'THERAPIST') return memberIds.map(() => false);
      const found = await rows(
        em,
        sql`select distinct member_id from therapist_member where therapist_id = ${viewer.therapistId} and member_id = any(${memberIds}::uuid[])`,
      );
      const assigned = new Set(found.map((r) => r.member_id as string));
      return memberIds.map((id) => assigned.has(id));
    }),
  };
}

export type AccessLoaders = ReturnType<typeof accessLoaders>;
