/**
 * Read-only views (src/db/views.ts) must read exactly what the ORM's entities read: every
 * column, converted the same way (instants, dates, arrays, enums, references).
 */
import { ReferenceKind } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedSql, pooledSql, sql } from '../../src/db/sql.js';
import { viewColumns, viewsOf, viewTable } from '../../src/db/views.js';
import { GroupEntity } from '../../src/modules/groups/index.js';
import { AgreementEntity, AgreementVersionEntity, SignatureEntity } from '../../src/modules/agreements/index.js';
import { MemberEntity, MemberIdentityEntity } from '../../src/modules/members/index.js';
import { PartnerEntity } from '../../src/modules/partners/index.js';
import { ProgramEntity, ProgramModuleEntity } from '../../src/modules/programs/index.js';
import { ReservationEntity } from '../../src/modules/reservations/index.js';
import { AttendanceEntity } from '../../src/modules/attendance/index.js';
import { SessionEntity } from '../../src/modules/groups/index.js';
import { TherapistEntity } from '../../src/modules/therapists/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { buildWorld } from '../support/world.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await buildWorld(app);
  // The world records no attendance: one row, so attendance views have something to compare.
  await app.db.query(
    `insert into attendance (session_id, member_id, status, recorded_by_id)
     select (select id from group_session order by id limit 1), (select id from member order by id limit 1), 'LATE', (select id from therapist order by id limit 1)`,
  );
});
afterAll(() => app.close());

describe.each([
  ['Group', GroupEntity],
  ['Program', ProgramEntity],
  ['Therapist', TherapistEntity],
  ['Session', SessionEntity],
  ['Member', MemberEntity],
  ['Reservation', ReservationEntity],
  ['ProgramModule', ProgramModuleEntity],
  ['Agreement', AgreementEntity],
  ['AgreementVersion', AgreementVersionEntity],
  ['Signature', SignatureEntity],
  ['Partner', PartnerEntity],
  ['MemberIdentity', MemberIdentityEntity],
  ['Attendance', AttendanceEntity],
] as const)('%s views', (_name, entity) => {
  it('hold every persisted field exactly as the entity does, and are instances of it', async () => {
    const em = app.orm.em.fork();
    const meta = em.getMetadata().get(entity.name);
    const keys = meta.primaryKeys;
    const orderBy = Object.fromEntries(keys.map((k) => [k, 'asc']));
    const entities = (await em.find(entity as never, {}, { orderBy: orderBy as never })) as unknown as Record<string, unknown>[];
    expect(entities.length).toBeGreaterThan(0);
    const keyColumns = keys.map((k) => meta.properties[k as never]!.fieldNames[0]).join(', ');
    const rows = await pooledSql(em).query(
      sql`select ${viewColumns(em, entity)} from ${viewTable(em, entity)} order by ${fixedSql(keyColumns)}`,
    );
    const views = viewsOf(em, entity as never, rows) as unknown as Record<string, unknown>[];
    const fields = meta.props.filter(
      (p) =>
        p.persist !== false &&
        (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)),
    );
    const plain = (object: Record<string, unknown>) =>
      Object.fromEntries(
        fields.map((p) => {
          const value = object[p.name];
          return [p.name, p.kind === ReferenceKind.SCALAR ? value : ((value as { id: string } | null)?.id ?? null)];
        }),
      );
    expect(views.map(plain)).toEqual(entities.map(plain));
    for (const view of views) expect(view).toBeInstanceOf(entity);
  });
});
