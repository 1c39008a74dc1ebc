/**
 * A small, fully known world with one actor of every role, arranged directly through the ORM
 * (the API's own mutations are tested elsewhere). Tokens are real: session rows and API keys
 * stored hashed, exactly as login and createPartnerApiKey store them.
 */
import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { seal } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import { newId } from '../../src/db/ids.js';
import { toGlobalId } from '../../src/graphql/ids.js';
import { AccountEntity, AccountRole, AuthSessionEntity, sealedAccountFields } from '../../src/modules/accounts/index.js';
import { API_KEY_PREFIX, newSecret, SESSION_PREFIX, secretHash } from '../../src/authz/credentials.js';
import {
  AgreementEntity,
  AgreementKind,
  AgreementVersionEntity,
  SignatureChannel,
  SignatureEntity,
} from '../../src/modules/agreements/index.js';
import { GroupEntity, GroupFormat, GroupStatus, GroupType, Weekday } from '../../src/modules/groups/index.js';
import { createMember } from '../../src/modules/members/index.js';
import { PartnerApiKeyEntity, PartnerEntity } from '../../src/modules/partners/index.js';
import { ProgramEntity, ProgramModuleEntity, ProgramStatus } from '../../src/modules/programs/index.js';
import { ReservationEntity, ReservationStatus } from '../../src/modules/reservations/index.js';
import { planSessions } from '../../src/modules/groups/index.js';
import { SessionEntity } from '../../src/modules/groups/index.js';
import { TherapistEntity } from '../../src/modules/therapists/index.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** Not a real password hash: world accounts sign in with their session tokens, never by password. */
const NO_PASSWORD = '$argon2id$v=19$m=19456,t=2,p=1$bm9wYXNzd29yZA$bm9wYXNzd29yZG5vcGFzc3dvcmQ';

export interface Actor {
  id: string;
  globalId: string;
  token: string;
}

export interface Identity {
  legalName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  emergencyContact: { name: string; phone: string; relationship: string };
  typedName: string;
}

export interface World {
  admin: Actor;
  /** Another approved admin (a second admin approves what the first invited). */
  secondAdmin: Actor;
  therapists: { lead: Actor; co: Actor; other: Actor };
  partners: { referring: Actor; other: Actor };
  members: {
    /** Referred by `partners.referring`, CONFIRMED in `groups.a`, signed the agreement; can sign in. */
    subject: Actor & { identity: Identity; signatureId: string; signatureGlobalId: string; reservationGlobalId: string };
    /** Another member with an account, CONFIRMED in `groups.b` only. */
    another: Actor;
  };
  groups: { a: { id: string; globalId: string }; b: { id: string; globalId: string } };
  program: { id: string; globalId: string };
  agreement: { id: string; globalId: string };
}

export const SUBJECT_IDENTITY: Identity = {
  legalName: 'Rowan Quillfeather',
  email: 'rowan.quillfeather@example.org',
  phone: '+14155550101',
  dateOfBirth: '1990-05-17',
  emergencyContact: { name: 'Casey Quillfeather', phone: '+14155550102', relationship: 'sibling' },
  typedName: 'Rowan Q. Quillfeather',
};

/** The identifier values of `members.another` (it has no signature, so `typedName` is unused). */
export const ANOTHER_IDENTITY: Identity = {
  legalName: 'Sam Otherperson',
  email: 'sam.otherperson@example.org',
  phone: '+14155550199',
  dateOfBirth: '1985-01-02',
  emergencyContact: { name: 'Alex Otherperson', phone: '+14155550198', relationship: 'partner' },
  typedName: 'Sam Otherperson',
};

function session(em: EntityManager, account: AccountEntity): string {
  const token = newSecret(SESSION_PREFIX);
  em.create(AuthSessionEntity, { account, tokenHash: secretHash(token), expiresAt: new Date(Date.now() + 3600_000) });
  return token;
}

function apiKey(em: EntityManager, partner: PartnerEntity): string {
  const secret = newSecret(API_KEY_PREFIX);
  em.create(PartnerApiKeyEntity, { partner, label: 'test', prefix: secret.slice(0, 10), secretHash: secretHash(secret) });
  return secret;
}

function therapist(em: EntityManager, name: string): { entity: TherapistEntity; actor: Omit<Actor, 'token'>; token: string } {
  const entity = em.create(TherapistEntity, { displayName: name, credentials: 'LCSW', timeZone: 'Europe/London' });
  const account = em.create(AccountEntity, {
    ...sealedAccountFields(em, newId(), `${name.toLowerCase().replace(/\W+/g, '.')}@kindred.test`),
    passwordHash: NO_PASSWORD,
    activatedAt: new Date(),
    approvedAt: new Date(),
    role: AccountRole.THERAPIST,
    therapist: entity,
  });
  return { entity, actor: { id: entity.id, globalId: toGlobalId('Therapist', entity.id) }, token: session(em, account) };
}

/** An OPEN group with its sessions, starting next week. */
function makeGroup(
  tx: EntityManager,
  program: ProgramEntity,
  title: string,
  leadTherapist: TherapistEntity,
  coTherapists: TherapistEntity[],
  capacity = 10,
): GroupEntity {
  const schedule = {
    timeZone: 'Europe/London',
    startsOn: DateTime.utc().plus({ days: 7 }).toISODate()!,
    weekday: Weekday.MONDAY,
    startTime: '18:00',
    durationMinutes: 60,
    sessionCount: 3,
  };
  const group = tx.create(GroupEntity, {
    program,
    title,
    leadTherapist,
    capacity,
    type: GroupType.CLOSED,
    format: GroupFormat.ONLINE,
    ...schedule,
    status: GroupStatus.OPEN,
  });
  group.coTherapists.set(coTherapists);
  for (const s of planSessions(schedule)) tx.create(SessionEntity, { group, ...s });
  return group;
}

/** A member who can sign in, with its identity when one is given. */
function makeMember(tx: EntityManager, displayName: string, partner: PartnerEntity | null, identity: Identity | null) {
  const { member, key } = createMember(
    tx,
    { displayName, timeZone: 'Europe/London', partner },
    identity && {
      legalName: identity.legalName,
      email: identity.email,
      phone: identity.phone,
      dateOfBirth: identity.dateOfBirth,
      emergencyContactName: identity.emergencyContact.name,
      emergencyContactPhone: identity.emergencyContact.phone,
      emergencyContactRelationship: identity.emergencyContact.relationship,
    },
  );
  const email = identity?.email ?? `member.${member.id}@kindred.test`;
  const account = tx.create(AccountEntity, {
    ...sealedAccountFields(tx, newId(), email),
    passwordHash: NO_PASSWORD,
    role: AccountRole.MEMBER,
    activatedAt: new Date(),
  });
  member.account = ref(account);
  return { member, key, token: session(tx, account) };
}

/** The optional identifiers, all absent: spread under the ones a test gives. */
export const NO_IDENTIFIERS = {
  phone: null,
  dateOfBirth: null,
  emergencyContactName: null,
  emergencyContactPhone: null,
  emergencyContactRelationship: null,
};

/** A fresh server over its own database, with the standard world built in it (a test file's usual start). */
export async function startWorld(options: TestAppOptions = {}): Promise<{ app: TestApp; world: World }> {
  const app = await startTestApp(options);
  return { app, world: await buildWorld(app) };
}

export async function buildWorld(app: TestApp): Promise<World> {
  const em = app.orm.em.fork();
  return em.transactional(async (tx) => {
    const makeAdmin = (email: string) =>
      tx.create(AccountEntity, {
        ...sealedAccountFields(tx, newId(), email),
        passwordHash: NO_PASSWORD,
        role: AccountRole.ADMIN,
        activatedAt: new Date(),
        approvedAt: new Date(),
      });
    const admin = makeAdmin('admin@kindred.test');
    const secondAdmin = makeAdmin('second.admin@kindred.test');
    const lead = therapist(tx, 'Lead Therapist');
    const co = therapist(tx, 'Co Therapist');
    const other = therapist(tx, 'Other Therapist');

    const referring = tx.create(PartnerEntity, { name: 'Referring Clinic' });
    const otherPartner = tx.create(PartnerEntity, { name: 'Other Clinic' });

    const agreement = tx.create(AgreementEntity, { kind: AgreementKind.CONFIDENTIALITY, title: 'Confidentiality' });
    const version = tx.create(AgreementVersionEntity, {
      agreement,
      version: 1,
      bodyMarkdown: 'Keep it in the room.',
      requiresResign: true,
    });
    const program = tx.create(ProgramEntity, {
      title: 'Test Program',
      summary: 'For tests.',
      sessionCount: 3,
      sessionLengthMinutes: 60,
      requiredAgreement: agreement,
      status: ProgramStatus.PUBLISHED,
    });
    for (const position of [1, 2, 3]) tx.create(ProgramModuleEntity, { program, position, title: `Module ${position}` });

    const groupA = makeGroup(tx, program, 'Group A', lead.entity, [co.entity]);
    const groupB = makeGroup(tx, program, 'Group B', other.entity, []);

    const subject = makeMember(tx, 'Rowan', referring, SUBJECT_IDENTITY);
    const another = makeMember(tx, 'Sam', otherPartner, ANOTHER_IDENTITY);
    const signatureId = newId();
    const signature = tx.create(SignatureEntity, {
      id: signatureId,
      member: subject.member,
      agreementVersion: version,
      typedName: seal(subject.key, SUBJECT_IDENTITY.typedName, sealedPlaces.signature(signatureId)),
      channel: SignatureChannel.PARTNER,
      partner: referring,
    });
    const reservation = tx.create(ReservationEntity, { group: groupA, member: subject.member, status: ReservationStatus.CONFIRMED });
    tx.create(ReservationEntity, { group: groupB, member: another.member, status: ReservationStatus.CONFIRMED });

    const actorOf = (type: 'Admin' | 'Member' | 'Partner', id: string, token: string): Actor => ({
      id,
      globalId: toGlobalId(type, id),
      token,
    });
    return {
      admin: actorOf('Admin', admin.id, session(tx, admin)),
      secondAdmin: actorOf('Admin', secondAdmin.id, session(tx, secondAdmin)),
      therapists: {
        lead: { ...lead.actor, token: lead.token },
        co: { ...co.actor, token: co.token },
        other: { ...other.actor, token: other.token },
      },
      partners: {
        referring: actorOf('Partner', referring.id, apiKey(tx, referring)),
        other: actorOf('Partner', otherPartner.id, apiKey(tx, otherPartner)),
      },
      members: {
        subject: {
          ...actorOf('Member', subject.member.id, subject.token),
          identity: SUBJECT_IDENTITY,
          signatureId: signature.id,
          signatureGlobalId: toGlobalId('Signature', signature.id),
          reservationGlobalId: toGlobalId('Reservation', reservation.id),
        },
        another: actorOf('Member', another.member.id, another.token),
      },
      groups: {
        a: { id: groupA.id, globalId: toGlobalId('Group', groupA.id) },
        b: { id: groupB.id, globalId: toGlobalId('Group', groupB.id) },
      },
      program: { id: program.id, globalId: toGlobalId('Program', program.id) },
      agreement: { id: agreement.id, globalId: toGlobalId('Agreement', agreement.id) },
    };
  });
}

export interface NewMember {
  displayName: string;
  /** The partner that referred it (default: the referring partner). */
  partner?: 'referring' | 'other' | null;
  /** Whether it signed the latest version of the world's agreement (default: no). */
  signed?: boolean;
  /** Its identity (default: none recorded). */
  identity?: Identity;
}

/** One more member who can sign in, arranged like the world's own. */
export async function addMember(app: TestApp, world: World, options: NewMember): Promise<Actor & { displayName: string }> {
  return app.orm.em.fork().transactional(async (tx) => {
    const partnerId = options.partner === null ? null : world.partners[options.partner ?? 'referring'].id;
    const partner = partnerId ? tx.getReference(PartnerEntity, partnerId) : null;
    const { member, key, token } = makeMember(tx, options.displayName, partner, options.identity ?? null);
    if (options.signed) {
      const [latest] = await tx.find(AgreementVersionEntity, { agreement: world.agreement.id }, { orderBy: { version: 'desc' }, limit: 1 });
      const signatureId = newId();
      tx.create(SignatureEntity, {
        id: signatureId,
        member,
        agreementVersion: latest!,
        typedName: seal(key, options.identity?.typedName ?? options.displayName, sealedPlaces.signature(signatureId)),
        channel: partner ? SignatureChannel.PARTNER : SignatureChannel.MEMBER,
        partner,
      });
    }
    return { id: member.id, globalId: toGlobalId('Member', member.id), token, displayName: options.displayName };
  });
}

export interface NewGroup {
  title: string;
  capacity?: number;
  /** Whose group it is: led like `groups.a` (lead + co-therapist, the default) or like `groups.b` (the other therapist). */
  like?: 'a' | 'b';
}

/** One more OPEN group of the world's program, with its sessions, starting next week. */
export async function addGroup(app: TestApp, world: World, options: NewGroup): Promise<{ id: string; globalId: string }> {
  return app.orm.em.fork().transactional(async (tx) => {
    const therapist = (actor: Actor) => tx.getReference(TherapistEntity, actor.id);
    const { lead, co, other } = world.therapists;
    const group = makeGroup(
      tx,
      tx.getReference(ProgramEntity, world.program.id),
      options.title,
      therapist(options.like === 'b' ? other : lead),
      options.like === 'b' ? [] : [therapist(co)],
      options.capacity,
    );
    return { id: group.id, globalId: toGlobalId('Group', group.id) };
  });
}
