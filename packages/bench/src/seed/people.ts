/** The people: one admin, therapists with accounts, three partners with API keys, and members. */
import { CREDENTIALS, FIRST_NAMES, LAST_NAMES, PLACES, type Place, PRONOUNS, RELATIONSHIPS, type Region, TOPICS } from './content.js';
import type { Account, Agreement, Member, Partner, Signature, Therapist, Timeline } from './model.js';
import { Rng, uuidV7 } from './random.js';
import { DAY, HOUR, isoDay } from './time.js';

const ADMIN_EMAIL = 'admin@kindred-bench.test';

/** Lower-case ASCII for email local parts: "Chloé O'Connor" → "chloe", "oconnor". */
const asciiName = (name: string) =>
  name
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/[^a-z]/g, '');

export function placeIn(rng: Rng, region: Region | null): Place {
  const places = region ? PLACES.filter((p) => p.region === region) : PLACES;
  return rng.weighted(places.map((p) => [p, p.weight] as const));
}

export function buildAdmin(seed: string, timeline: Timeline): Account {
  const createdAt = timeline.agreementAt - 30 * DAY;
  return {
    id: uuidV7(createdAt, new Rng(`${seed}:admin`)),
    email: ADMIN_EMAIL,
    password: 'admin',
    role: 'ADMIN',
    therapistId: null,
    memberId: null,
    createdAt,
  };
}

export function buildTherapists(seed: string, count: number, timeline: Timeline): Therapist[] {
  const rng = new Rng(`${seed}:therapists`);
  const emails = new Set<string>();
  return Array.from({ length: count }, () => {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const credentials = rng.pick(CREDENTIALS);
    const doctor = /^(PhD|PsyD|DClinPsy)/.test(credentials);
    const createdAt = timeline.agreementAt + rng.int(-20, 560) * DAY + rng.int(8, 18) * HOUR;
    const id = uuidV7(createdAt, rng);
    let email = `${asciiName(first)}.${asciiName(last)}@kindred-bench.test`;
    for (let n = 2; emails.has(email); n++) email = `${asciiName(first)}.${asciiName(last)}${n}@kindred-bench.test`;
    emails.add(email);
    const topic = rng.pick(TOPICS);
    return {
      id,
      displayName: `${doctor ? 'Dr. ' : ''}${first} ${last}`,
      credentials,
      bio: `${first} has led ${topic.focusAreas[0]} groups for ${rng.int(3, 25)} years and believes people heal faster together than alone.`,
      timeZone: placeIn(rng, null).zone,
      createdAt,
      account: {
        id: uuidV7(createdAt, rng),
        email,
        password: 'therapist',
        role: 'THERAPIST',
        therapistId: id,
        memberId: null,
        createdAt,
      },
    };
  });
}

const PARTNERS: { name: string; share: number; regions: readonly (readonly [Region, number])[] }[] = [
  { name: 'Northwind Employee Assistance', share: 50, regions: [['americas', 1]] },
  { name: 'Harbourside Health Network', share: 30, regions: [['europe', 1]] },
  {
    name: 'Lumen Wellbeing App',
    share: 20,
    regions: [
      ['americas', 4],
      ['europe', 4],
      ['apac', 2],
    ],
  },
];

const SELF_REGISTERED_REGIONS: readonly (readonly [Region, number])[] = [
  ['americas', 45],
  ['europe', 35],
  ['apac', 20],
];

/** Share of members who registered themselves (with an account) rather than through a partner. */
const SELF_REGISTERED = 0.15;

/** An API key secret exactly as Kindred issues one: `kpk_` and 32 random bytes in base64url. */
const apiKeySecret = (rng: Rng) => `kpk_${Buffer.from(rng.bytes(32)).toString('base64url')}`;

export function buildPartners(seed: string, timeline: Timeline): Partner[] {
  const rng = new Rng(`${seed}:partners`);
  return PARTNERS.map((p, i) => {
    const createdAt = timeline.agreementAt + (10 + 25 * i) * DAY + rng.int(9, 17) * HOUR;
    const keys: Partner['keys'] = [];
    if (i === 0) {
      // An old key that was rotated out, as partners do.
      const oldAt = createdAt + DAY;
      keys.push({
        id: uuidV7(oldAt, rng),
        label: 'integration test',
        secret: apiKeySecret(rng),
        createdAt: oldAt,
        revokedAt: oldAt + 90 * DAY,
        lastUsedAt: oldAt + 60 * DAY,
      });
    }
    const keyAt = createdAt + 2 * DAY;
    keys.push({
      id: uuidV7(keyAt, rng),
      label: 'production',
      secret: apiKeySecret(rng),
      createdAt: keyAt,
      revokedAt: null,
      lastUsedAt: null,
    });
    return { id: uuidV7(createdAt, rng), name: p.name, createdAt, keys };
  });
}

/**
 * Members: most referred by a partner, the rest self-registered with an account. Registration
 * dates lean recent (the service grows). Signing behaviour: most have signed version 2, some
 * only version 1 (they must sign again), some never signed — which is what makes seats HELD.
 */
export function buildMembers(seed: string, count: number, stormCount: number, timeline: Timeline): Member[] {
  const rng = new Rng(`${seed}:members`);
  const { today, agreementAt, version2At } = timeline;
  const members = Array.from({ length: count }, (_, index): Member => {
    const partner = rng.chance(SELF_REGISTERED) ? null : rng.weighted(PARTNERS.map((p, i) => [i, p.share] as const));
    const region = rng.weighted(partner === null ? SELF_REGISTERED_REGIONS : PARTNERS[partner]!.regions);
    const place = placeIn(rng, region);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const createdAt = today - 3 * DAY - Math.floor(557 * DAY * rng.next() ** 1.5);
    const id = uuidV7(createdAt, rng);
    const domain = rng.pick(['example.com', 'example.org', 'example.net']);
    const local = rng.pick([
      `${asciiName(first)}.${asciiName(last)}`,
      `${asciiName(first)[0]}${asciiName(last)}`,
      `${asciiName(first)}_${asciiName(last)}`,
    ]);
    const email = `${local}${index + 1}@${domain}`;
    const contactFirst = rng.pick(FIRST_NAMES);
    const [signedV1At, signedV2At] = signingOf(rng, createdAt, agreementAt, version2At, today);
    return {
      index,
      id,
      displayName: rng.chance(0.7) ? first : `${first} ${last[0]}.`,
      pronouns: rng.weighted(PRONOUNS),
      timeZone: place.zone,
      region,
      partner,
      createdAt,
      legalName: `${first} ${last}`,
      email,
      phone: rng.chance(0.9) ? place.phone(rng) : null,
      dateOfBirth: rng.chance(0.95) ? isoDay(Date.UTC(1948, 0, 1) + rng.int(0, 58 * 365) * DAY) : null,
      emergencyContact: rng.chance(0.65)
        ? {
            name: `${contactFirst} ${rng.chance(0.6) ? last : rng.pick(LAST_NAMES)}`,
            phone: place.phone(rng),
            relationship: rng.pick(RELATIONSHIPS),
          }
        : null,
      account:
        partner === null
          ? { id: uuidV7(createdAt, rng), email, password: 'member', role: 'MEMBER', therapistId: null, memberId: id, createdAt }
          : null,
      signedV1At,
      signedV2At,
      storm: false,
    };
  });
  // The storm's members: the first partner's most recent referrals, kept free of reservations.
  let left = stormCount;
  for (let i = members.length - 1; i >= 0 && left > 0; i--) {
    if (members[i]!.partner === 0) {
      members[i]!.storm = true;
      left--;
    }
  }
  return members;
}

function signingOf(rng: Rng, registered: number, agreementAt: number, version2At: number, today: number): [number | null, number | null] {
  const between = (from: number, to: number) => (to > from ? rng.int(from, to) : null);
  const v1Window = () => between(Math.max(registered, agreementAt) + HOUR, version2At - HOUR);
  const kind = rng.weighted([
    ['v2', 55],
    ['v1', 12],
    ['none', 33],
  ] as const);
  if (kind === 'none') return [null, null];
  if (kind === 'v1') return [v1Window(), null];
  const v2 = between(Math.max(registered, version2At) + HOUR, today - 5 * DAY);
  if (v2 === null) return [v1Window(), null];
  return [rng.chance(0.65) ? v1Window() : null, v2];
}

/** The signature rows behind each member's signing times: by the member, or by their partner for them. */
export function buildSignatures(seed: string, members: Member[], agreement: Agreement, partners: Partner[]): Signature[] {
  const rng = new Rng(`${seed}:signatures`);
  const signatures: Signature[] = [];
  for (const member of members) {
    for (const [at, version] of [
      [member.signedV1At, agreement.versions[0]!],
      [member.signedV2At, agreement.versions[1]!],
    ] as const) {
      if (at === null) continue;
      signatures.push({
        id: uuidV7(at, rng),
        member,
        versionId: version.id,
        channel: member.partner === null ? 'MEMBER' : 'PARTNER',
        partnerId: member.partner === null ? null : partners[member.partner]!.id,
        signedAt: at,
      });
    }
  }
  return signatures;
}
