import { ref } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { seal } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import { newId } from '../../db/ids.js';
import { sql, sqlOf } from '../../db/sql.js';
import { AccountEntity, AccountRole, sealedAccountFields } from '../../modules/accounts/index.js';
import { hashPassword, secretHash } from '../../authz/credentials.js';
import {
  AgreementEntity,
  AgreementKind,
  AgreementVersionEntity,
  SignatureChannel,
  SignatureEntity,
} from '../../modules/agreements/index.js';
import { GroupEntity, GroupFormat, GroupStatus, GroupType, planSessions, SessionEntity, Weekday } from '../../modules/groups/index.js';
import { createMember, type MemberEntity } from '../../modules/members/index.js';
import { PartnerApiKeyEntity, PartnerEntity } from '../../modules/partners/index.js';
import { ProgramEntity, ProgramModuleEntity, ProgramStatus } from '../../modules/programs/index.js';
import { ReservationEntity, ReservationStatus } from '../../modules/reservations/index.js';
import { TherapistEntity } from '../../modules/therapists/index.js';
import { CONFIDENTIALITY_TEXT, FIRST_NAMES, LAST_NAMES, PRONOUNS, PROGRAMS, THERAPISTS } from './demo-content.js';

/** Printed by `pnpm start` and used by the README's examples. Demo data only: never in production. */
export const DEMO_SIGN_INS = {
  people: [
    { role: 'ADMIN', email: 'admin@kindred.test', password: 'kindred-admin-demo' },
    // A second admin, so that inviting (one admin) and approving (another) can be tried.
    { role: 'ADMIN', email: 'admin2@kindred.test', password: 'kindred-admin-demo' },
    ...THERAPISTS.map((t) => ({ role: 'THERAPIST', email: t.email, password: 'kindred-therapist-demo' })),
    { role: 'MEMBER', email: 'maya.alvarez@example.org', password: 'kindred-member-demo' },
  ],
  partnerApiKey: 'kpk_demo_partner_key_for_local_use_only_0001',
};

interface GroupPlan {
  program: number;
  title: string;
  lead: number;
  co: number[];
  capacity: number;
  type: GroupType;
  format: GroupFormat;
  location?: string;
  timeZone: string;
  weekday: Weekday;
  startTime: string;
  startsInDays: number;
  status: GroupStatus;
  confirmed: number;
  held: number;
  waitlisted: number;
}

const GROUPS: GroupPlan[] = [
  {
    program: 0,
    title: 'Steady Ground — Tuesday evenings (online)',
    lead: 0,
    co: [2],
    capacity: 10,
    type: GroupType.CLOSED,
    format: GroupFormat.ONLINE,
    timeZone: 'America/New_York',
    weekday: Weekday.TUESDAY,
    startTime: '18:30',
    startsInDays: 7,
    status: GroupStatus.OPEN,
    confirmed: 7,
    held: 1,
    waitlisted: 0,
  },
  {
    program: 0,
    title: 'Steady Ground — Berlin Prenzlauer Berg',
    lead: 1,
    co: [],
    capacity: 8,
    type: GroupType.CLOSED,
    format: GroupFormat.IN_PERSON,
    location: 'Praxis am Kollwitzplatz, Kollwitzstraße 50, 10405 Berlin',
    timeZone: 'Europe/Berlin',
    weekday: Weekday.MONDAY,
    startTime: '18:00',
    startsInDays: 14,
    status: GroupStatus.OPEN,
    confirmed: 5,
    held: 0,
    waitlisted: 0,
  },
  {
    program: 1,
    title: 'After Loss — Wednesday circle',
    lead: 2,
    co: [],
    capacity: 8,
    type: GroupType.OPEN,
    format: GroupFormat.ONLINE,
    timeZone: 'Europe/London',
    weekday: Weekday.WEDNESDAY,
    startTime: '19:00',
    startsInDays: 3,
    status: GroupStatus.OPEN,
    confirmed: 4,
    held: 0,
    waitlisted: 0,
  },
  {
    program: 2,
    title: 'Low Mood, New Habits — Tokyo evenings',
    lead: 1,
    co: [0],
    capacity: 12,
    type: GroupType.CLOSED,
    format: GroupFormat.ONLINE,
    timeZone: 'Asia/Tokyo',
    weekday: Weekday.THURSDAY,
    startTime: '20:00',
    startsInDays: 10,
    status: GroupStatus.OPEN,
    confirmed: 6,
    held: 0,
    waitlisted: 0,
  },
  {
    program: 3,
    title: 'Rest & Reset — Saturday mornings',
    lead: 0,
    co: [],
    capacity: 6,
    type: GroupType.CLOSED,
    format: GroupFormat.ONLINE,
    timeZone: 'Australia/Sydney',
    weekday: Weekday.SATURDAY,
    startTime: '10:00',
    startsInDays: 5,
    status: GroupStatus.OPEN,
    confirmed: 6,
    held: 0,
    waitlisted: 3,
  },
  {
    program: 2,
    title: 'Low Mood, New Habits — Los Angeles (planning)',
    lead: 2,
    co: [],
    capacity: 10,
    type: GroupType.OPEN,
    format: GroupFormat.ONLINE,
    timeZone: 'America/Los_Angeles',
    weekday: Weekday.MONDAY,
    startTime: '17:30',
    startsInDays: 30,
    status: GroupStatus.DRAFT,
    confirmed: 0,
    held: 0,
    waitlisted: 0,
  },
];

const MEMBER_COUNT = 40;

/** Loads the demo data when the database has no accounts yet. Returns whether it did. */
export async function seedDemoIfEmpty(orm: MikroORM): Promise<boolean> {
  const em = orm.em.fork();
  if ((await em.count(AccountEntity, {})) > 0) return false;
  await em.transactional((tx) => seedDemo(tx));
  return true;
}

async function seedDemo(em: EntityManager): Promise<void> {
  const agreement = em.create(AgreementEntity, { kind: AgreementKind.CONFIDENTIALITY, title: 'Group confidentiality agreement' });
  const version = em.create(AgreementVersionEntity, { agreement, version: 1, bodyMarkdown: CONFIDENTIALITY_TEXT, requiresResign: true });

  const [adminPassword, therapistPassword, memberPassword] = await Promise.all(
    ['kindred-admin-demo', 'kindred-therapist-demo', 'kindred-member-demo'].map(hashPassword),
  );
  // The first admin stands for the one an operator makes on the server (approved by being made);
  // the second was invited by it. The demo starts with both approved.
  const now = new Date();
  const admin = em.create(AccountEntity, {
    ...sealedAccountFields(em, newId(), 'admin@kindred.test'),
    passwordHash: adminPassword!,
    role: AccountRole.ADMIN,
    activatedAt: now,
    approvedAt: now,
  });
  const secondAdmin = em.create(AccountEntity, {
    ...sealedAccountFields(em, newId(), 'admin2@kindred.test'),
    passwordHash: adminPassword!,
    role: AccountRole.ADMIN,
    invitedBy: admin,
    activatedAt: now,
    approvedAt: now,
  });
  const therapists = THERAPISTS.map((t) => {
    const therapist = em.create(TherapistEntity, {
      displayName: t.displayName,
      credentials: t.credentials,
      bio: `${t.displayName.split(' ').at(-1)} has led therapy groups for over ten years.`,
      timeZone: t.timeZone,
    });
    // Invited by the first admin, approved by the second: as the trust model has it.
    em.create(AccountEntity, {
      ...sealedAccountFields(em, newId(), t.email),
      passwordHash: therapistPassword!,
      role: AccountRole.THERAPIST,
      therapist,
      invitedBy: admin,
      activatedAt: now,
      approvedAt: now,
      approvedBy: secondAdmin,
    });
    return therapist;
  });

  const programs = PROGRAMS.map((p, i) => {
    const program = em.create(ProgramEntity, {
      title: p.title,
      summary: p.summary,
      description: `${p.summary}\n\nEach session combines a short teaching segment, guided practice and time to share.`,
      focusAreas: p.focusAreas,
      sessionCount: p.modules.length,
      sessionLengthMinutes: p.sessionLengthMinutes,
      requiredAgreement: agreement,
      status: ProgramStatus.PUBLISHED,
      publishedAt: new Date(),
    });
    program.authors.set([therapists[i % therapists.length]!]);
    for (const [position, title] of p.modules.entries()) {
      em.create(ProgramModuleEntity, {
        program,
        position: position + 1,
        title,
        guidance: `Open with a check-in, introduce "${title}", practise together, close with a round.`,
        homeworkPrompt: `Notice one moment this week related to "${title.toLowerCase()}" and jot it down.`,
      });
    }
    return program;
  });

  const partner = em.create(PartnerEntity, { name: 'Northwind Employee Assistance' });
  em.create(PartnerApiKeyEntity, {
    partner,
    label: 'demo key',
    prefix: DEMO_SIGN_INS.partnerApiKey.slice(0, 10),
    secretHash: secretHash(DEMO_SIGN_INS.partnerApiKey),
  });

  const members = Array.from({ length: MEMBER_COUNT }, (_, i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const last = LAST_NAMES[i % LAST_NAMES.length]!;
    const { member, key } = createMember(
      em,
      {
        displayName: first,
        pronouns: PRONOUNS[i % PRONOUNS.length] ?? null,
        timeZone: GROUPS[i % 5]!.timeZone,
        partner: i < 30 ? partner : null,
      },
      {
        legalName: `${first} ${last}`,
        email: `${first
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '')}.${last.toLowerCase()}@example.org`,
        phone: `+1202555${String(100 + i).padStart(4, '0')}`,
        dateOfBirth: DateTime.fromISO('1970-03-14')
          .plus({ days: i * 389 })
          .toISODate(),
        emergencyContactName: `${FIRST_NAMES[(i + 7) % FIRST_NAMES.length]} ${last}`,
        emergencyContactPhone: `+1202555${String(600 + i).padStart(4, '0')}`,
        emergencyContactRelationship: ['partner', 'sister', 'friend', 'parent'][i % 4]!,
      },
    );
    // Most members have signed; every fourth has not yet, which is why some seats are only held.
    if (i % 4 !== 3) {
      const signatureId = newId();
      em.create(SignatureEntity, {
        id: signatureId,
        member,
        agreementVersion: version,
        typedName: seal(key, `${first} ${last}`, sealedPlaces.signature(signatureId)),
        channel: i < 30 ? SignatureChannel.PARTNER : SignatureChannel.MEMBER,
        partner: i < 30 ? partner : null,
      });
    }
    return member;
  });
  // Maya made her own sign-in (self-registration, confirmed).
  members[0]!.account = ref(
    em.create(AccountEntity, {
      ...sealedAccountFields(em, newId(), 'maya.alvarez@example.org'),
      passwordHash: memberPassword!,
      role: AccountRole.MEMBER,
      activatedAt: now,
    }),
  );

  const today = DateTime.utc().startOf('day');
  let next = 0;
  const signed = (m: number) => m % 4 !== 3;
  for (const plan of GROUPS) {
    const program = programs[plan.program]!;
    const schedule = {
      timeZone: plan.timeZone,
      startsOn: today.plus({ days: plan.startsInDays }).toISODate()!,
      weekday: plan.weekday,
      startTime: plan.startTime,
      durationMinutes: program.sessionLengthMinutes,
      sessionCount: program.sessionCount,
    };
    const sessions = planSessions(schedule);
    const group = em.create(GroupEntity, {
      program,
      title: plan.title,
      leadTherapist: therapists[plan.lead]!,
      capacity: plan.capacity,
      type: plan.type,
      format: plan.format,
      location: plan.location ?? null,
      ...schedule,
      enrolmentDeadline: plan.type === GroupType.CLOSED ? sessions[0]!.startsAt : null,
      status: plan.status,
    });
    group.coTherapists.set(plan.co.map((i) => therapists[i]!));
    const modules = await em.find(ProgramModuleEntity, { program });
    for (const s of sessions) {
      em.create(SessionEntity, { group, ...s, module: modules.find((m) => m.position === s.position) ?? null });
    }
    const take = (n: number, wantSigned: boolean | null) => {
      const picked: MemberEntity[] = [];
      for (let tries = 0; picked.length < n && tries < MEMBER_COUNT * 2; tries++) {
        const m = next++ % MEMBER_COUNT;
        if (wantSigned === null || signed(m) === wantSigned) picked.push(members[m]!);
      }
      return picked;
    };
    for (const member of take(plan.confirmed, true)) em.create(ReservationEntity, { group, member, status: ReservationStatus.CONFIRMED });
    for (const member of take(plan.held, false)) {
      em.create(ReservationEntity, {
        group,
        member,
        status: ReservationStatus.HELD,
        expiresAt: new Date(Date.now() + group.holdMinutes * 60_000),
      });
    }
    for (const member of take(plan.waitlisted, null)) {
      const [next] = await (await sqlOf(em)).query<{ seq: string }>(sql`select nextval('reservation_waitlist_seq')::text as seq`);
      const seq = next!.seq;
      em.create(ReservationEntity, { group, member, status: ReservationStatus.WAITLISTED, waitlistSeq: seq });
    }
  }
}
