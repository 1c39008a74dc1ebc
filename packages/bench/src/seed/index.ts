/**
 * # The benchmark dataset
 *
 * `seedBenchDatabase(url, { scale })` fills a freshly migrated, empty Kindred database (run the
 * API once against it, or its migrations) with a realistic dataset that Kindred itself could
 * have produced. Scale 1:
 *
 * | what | how many | notes |
 * | --- | --- | --- |
 * | agreement | 1, 2 versions | the confidentiality agreement; version 2 (150 days ago) requires signing again |
 * | programs | 50 | ten topics × five audiences, 6–12 ordered modules; 44 PUBLISHED, 3 DRAFT, 3 ARCHIVED; two in three require the agreement |
 * | therapists | 150 | each with a THERAPIST account (one shared password) |
 * | partners | 3 | one live API key each (the first also a revoked one); members: 50 % / 30 % / 20 % of the referred |
 * | members | 40,000 | 85 % referred by a partner, 15 % self-registered with a MEMBER account; all with identifiers; 2,000 of the first partner's kept free for the storm |
 * | groups | 2,000 | 55 % OPEN, 17.5 % IN_PROGRESS, 15 % COMPLETED, 7.5 % DRAFT, 5 % CANCELLED; capacity 6–16; lead + 0–2 co-therapists; 19 IANA zones; CLOSED/OPEN, ONLINE/IN_PERSON |
 * | sessions | ~19,600 | Kindred's weekly plan in the group's zone (DST-exact: schedule.ts reproduces planSessions; a third of the groups cross a DST change) |
 * | signatures | ~32,700 | 55 % of members signed version 2 (some also 1), 12 % only version 1, a third never |
 * | reservations | ~60,000 | with their full status history (~111,000 reservation_event rows): ~12,700 CONFIRMED, ~400 HELD, ~1,300 WAITLISTED, ~34,500 CANCELLED, ~10,900 EXPIRED, ~100 REMOVED |
 * | attendance | ~9,500 | past sessions of groups that ran, for members seated then |
 *
 * Reservations are not drawn as final states: each group's life is simulated through Kindred's
 * seat rules (seats.ts) and replayed through its own triggers (replay.ts), so `seats_taken`, the
 * CHECK against capacity, the one-active-reservation index, the waitlist sequence and the
 * history are exactly what Kindred would hold. About half the OPEN groups have free seats, most
 * full ones a waitlist; live HELD seats (unsigned members, in groups with week-long holds) run
 * at least three days past the seeding day; past cohorts' unseated waitlists were cancelled
 * when they started, which is where most CANCELLED rows come from.
 *
 * ## Time and determinism
 *
 * Every date is placed relative to 00:00 UTC of the day the seeder runs ("today"): OPEN groups
 * start two days or more after it, IN_PROGRESS ones started before it and run a week or more
 * past it, nothing happens after it. The same scale on the same UTC day gives identical rows,
 * IDs included: all randomness comes from seeded mulberry32 streams, IDs are UUIDv7 built from
 * each row's creation instant (so keyset order is creation order, as in Kindred), and even the
 * argon2 salts and API key secrets are drawn from the streams. Only `identifier_audit`,
 * `auth_session` and `idempotency_key` stay empty: requests fill them.
 *
 * ## Running it
 *
 *     node --import @swc-node/register/esm-register src/seed/cli.ts postgres://… [--scale 1]
 *
 * prints the `SeedResult` as JSON on stdout; progress goes to stderr.
 */
import pg from 'pg';
import { buildDataset } from './dataset.js';
import { writeAttendance, writeCatalogue, writeGroups, writeMembers, writeReservations } from './load.js';
import { lastStep } from './model.js';
import { type OnSeedProgress, Phase } from './progress.js';
import { type SampleNode, pickScenarios } from './scenarios.js';
import { hashPasswords, PASSWORDS } from './secrets.js';
import { iso, startOfUtcDay } from './time.js';

export interface SeedOptions {
  /** 1 (default) is the full dataset; counts scale linearly (with small floors). */
  scale?: number;
  onProgress?: OnSeedProgress;
}

interface Credentials {
  email: string;
  password: string;
}

export interface SeedResult {
  scale: number;
  /** 00:00 UTC of the seeding day, ISO 8601: every date in the dataset is relative to it. */
  today: string;
  /** Wall-clock seconds the seeding took. */
  seconds: number;
  /** Rows per table, counted in the database after seeding. */
  counts: Record<string, number>;
  reservationsByStatus: Record<string, number>;
  admin: Credentials;
  /** Leads `groupId` (= `busyGroupId`), an OPEN group with ≥ 8 seats taken and a waitlist of ≥ 3. */
  therapistOfBusyGroup: Credentials & { therapistId: string; groupId: string };
  /** An OPEN group with a roster and a waitlist (the admin "group detail" scenario). */
  busyGroupId: string;
  /** A self-registered member with an account and a seat. */
  member: Credentials & { memberId: string };
  /** The first partner; send `authorization` as the Authorization header. */
  partner: { id: string; name: string; apiKey: string; authorization: string };
  /** OPEN groups whose program requires no agreement (a partner's reservation is CONFIRMED at once), each with free seats. */
  stormGroupIds: string[];
  /** Members of `partner` with no reservation at all. */
  stormMemberIds: string[];
  /** 200 raw UUIDs with their GraphQL type, all visible to anyone: 50 each of Group, Program, Therapist and Session (Groups make up for missing Programs). */
  sampleNodeIds: SampleNode[];
}

const TABLES = [
  'agreement',
  'agreement_version',
  'partner',
  'partner_api_key',
  'therapist',
  'account',
  'program',
  'program_module',
  'program_author',
  'member',
  'member_identity',
  'signature',
  'therapy_group',
  'group_co_therapist',
  'group_session',
  'reservation',
  'reservation_event',
  'attendance',
  'identifier_audit',
  'auth_session',
  'idempotency_key',
];

async function checkEmpty(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ migrated: boolean }>(`select to_regclass('reservation_event') is not null as migrated`);
  if (!rows[0]?.migrated) throw new Error('The database is not migrated: start the Kindred API against it once first.');
  const filled = await client.query(
    `select 1 where exists (select 1 from account) or exists (select 1 from program) or exists (select 1 from member)
        or exists (select 1 from therapy_group) or exists (select 1 from reservation)`,
  );
  if (filled.rowCount) throw new Error('The database already has data: the seeder fills an empty, freshly migrated database.');
}

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const { rows } = await client.query<{ counts: Record<string, number> }>(
    `select json_build_object(${TABLES.map((t) => `'${t}', (select count(*) from "${t}")`).join(', ')}) as counts`,
  );
  return rows[0]!.counts;
}

/** Fills an empty, migrated Kindred database with the benchmark dataset (see the header). */
export async function seedBenchDatabase(databaseUrl: string, options: SeedOptions = {}): Promise<SeedResult> {
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error('scale must be a positive number.');
  const started = performance.now();
  const today = startOfUtcDay(new Date());
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await checkEmpty(client);
    const plan = new Phase('plan', 1, 'dataset', options.onProgress);
    const dataset = buildDataset(scale, today);
    const hashes = await hashPasswords(dataset.seed);
    const scenarios = pickScenarios(dataset);
    plan.tick(1);
    plan.finish();

    await writeCatalogue(client, dataset, hashes, options.onProgress);
    await writeMembers(client, dataset, hashes, options.onProgress);
    await writeGroups(client, dataset, options.onProgress);
    await writeReservations(client, dataset, options.onProgress);
    await writeAttendance(client, dataset, options.onProgress);
    const analyze = new Phase('analyze', 1, 'database', options.onProgress);
    await client.query('analyze');
    analyze.tick(1);
    analyze.finish();

    const reservationsByStatus: Record<string, number> = {};
    for (const r of dataset.reservations) {
      const status = lastStep(r).status;
      reservationsByStatus[status] = (reservationsByStatus[status] ?? 0) + 1;
    }
    const partner = dataset.partners[0]!;
    const apiKey = partner.keys.find((k) => k.revokedAt === null)!.secret;
    const busy = scenarios.busyGroup;
    return {
      scale,
      today: iso(today),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      counts: await countRows(client),
      reservationsByStatus,
      admin: { email: dataset.admin.email, password: PASSWORDS.admin },
      therapistOfBusyGroup: { email: busy.lead.account.email, password: PASSWORDS.therapist, therapistId: busy.lead.id, groupId: busy.id },
      busyGroupId: busy.id,
      member: { email: scenarios.member.email, password: PASSWORDS.member, memberId: scenarios.member.id },
      partner: { id: partner.id, name: partner.name, apiKey, authorization: `Bearer ${apiKey}` },
      stormGroupIds: scenarios.stormGroupIds,
      stormMemberIds: scenarios.stormMemberIds,
      sampleNodeIds: scenarios.sampleNodeIds,
    };
  } finally {
    await client.end();
  }
}
