/**
 * `pnpm bench` (root): Kindred against its floor and its peer, on one freshly seeded database,
 * one server at a time on this machine. Prints a table and writes results/latest.json.
 *
 *   --scale N         dataset size (1 = 50 programs, 2,000 groups, 40,000 members, 60,000 reservations)
 *   --seconds N       timed seconds per run (after --warmup seconds of the same load)
 *   --connections L   concurrency levels, e.g. 1,8,32
 *   --only L          scenarios to run, e.g. catalogue,storm,hot-group,catalogue-rush
 *   --rounds N        hot-group rounds per concurrency level (median reported)
 *   --api-dist DIR    another Kindred build (its api/dist) for the hot group's processes, e.g. the
 *                     previous engine's; the database is still migrated by this checkout's build
 *   --smoke           a tiny, quick run that only proves everything still works (CI)
 *   --soak            only the soak: one Kindred process, mixed load, --soak-minutes (default 10)
 *   --database NAME   the database to (re)create on the server (default kindred_bench, or
 *                     kindred_bench_smoke): two runs at once on one server need different names
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateKey } from '@kindred/crypto';
import { resolveDatabase } from '@kindred/embedded-db';
import pg from 'pg';
import { CATALOGUE_DOCUMENT, CATALOGUE_PAGE_SIZE, type CataloguePage, isoInstant, uuidOfGlobalId } from './catalogue.js';
import { cancelSql, reserveSql } from './floor/storm-sql.js';
import { kindredBareClient, kindredSeatClient, signIn, toGlobalId } from './kindred-client.js';
import { type GraphQLRequest, runLoad } from './load.js';
import { PEER_CATALOGUE_DOCUMENT, normalisePeerCatalogue } from './peer/catalogue.js';
import { startStatementCounter } from './pg-counter.js';
import { type ServerProcess, type ServerSpec, startServer } from './processes.js';
import {
  formatAgainstCeiling,
  formatCeiling,
  formatHotGroup,
  formatRatios,
  formatRush,
  formatTable,
  type RushFigures,
  ratios,
  type ScenarioFigures,
  type ServerFigures,
  type StormFigures,
} from './report.js';
import { GROUP_DETAIL_DOCUMENT, NODES_DOCUMENT, THERAPIST_ROSTER_DOCUMENT } from './scenarios.js';
import { seedBenchDatabase } from './seed/index.js';
import { createHotGroup, expectedFor, type HotFigures, type HotRound, hotRound, roundRobin, summarise } from './hot-group.js';
import { formatSoak, runSoak, type SoakFigures } from './soak.js';
import { checksMissingTampering } from './tamper.js';
import { runStorm, type SeatClient, seatRuleViolations } from './storm.js';

const { values: flags } = parseArgs({
  options: {
    scale: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    'api-dist': { type: 'string' },
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string' },
    database: { type: 'string' },
  },
});
const smoke = flags.smoke!;
const scale = Number(flags.scale ?? (smoke ? 0.02 : 1));
const seconds = Number(flags.seconds ?? (smoke ? 1 : 15));
const warmup = Number(flags.warmup ?? (smoke ? 1 : 5));
const levels = (flags.connections ?? (smoke ? '1,4' : '1,8,32')).split(',').map(Number);
const only = flags.only?.split(',');
const soak = flags.soak!;
// The soak runs alone, never in the default run.
const wanted = (name: string) => !soak && (!only || only.includes(name));
const hotRounds = Number(flags.rounds ?? (smoke ? 1 : 3));

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BENCH = fileURLToPath(new URL('../', import.meta.url));
const API_DIST = `${ROOT}api/dist/`;
if (!existsSync(`${API_DIST}app/main.js`)) throw new Error('Kindred is not built: run `pnpm build` (the root `pnpm bench` does).');
const HOT_DIST = flags['api-dist'] ? `${resolve(flags['api-dist'])}/` : API_DIST;
if (!existsSync(`${HOT_DIST}app/main.js`)) throw new Error(`--api-dist: no app/main.js in ${HOT_DIST}`);

const log = (line: string) => process.stderr.write(`${line}\n`);

// Keys of this run: the seed seals personal data with them and the Kindred processes (started
// with this environment) open it — as in production, where both are required.
process.env.KINDRED_KEK ??= generateKey();
process.env.KINDRED_BLIND_INDEX_KEY ??= generateKey();

// ---------------------------------------------------------------- database
const server = await resolveDatabase({ database: 'postgres', dataDir: `${ROOT}.data/bench-postgres` });
const database = flags.database ?? (smoke ? 'kindred_bench_smoke' : 'kindred_bench');
if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`--database: not a plain lower-case name: ${database}`);
// Held for the whole run: a second run on the same server and database name would drop this
// one's database under its feet (its servers then reconnect to an empty one), so it refuses.
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
const { rows: claimed } = await admin.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
  `kindred-bench:${database}`,
]);
if (!claimed[0]!.ok)
  throw new Error(`Another benchmark run is using the database ${database} on this server: wait, or pass --database <name>.`);
await admin.query(`drop database if exists ${database} with (force)`);
await admin.query(`create database ${database}`);
const dbUrl = new URL(server.url);
dbUrl.pathname = `/${database}`;
const databaseUrl = dbUrl.toString();

log('migrating (Kindred’s committed migrations)…');
const { openOrm, migrate } = await import(`${API_DIST}app/orm.js`);
const orm = await openOrm(databaseUrl, 2);
await migrate(orm);
await orm.close(true);

const seedStarted = performance.now();
const seed = await seedBenchDatabase(databaseUrl, { scale });
log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
// As Kindred's connections (the storm floor runs its seat transactions on this pool).
pool.on('connect', (client) => void client.query(`set lock_timeout = '5s'`));
await pool.query(readFileSync(`${BENCH}src/peer/schema.sql`, 'utf8'));

// ---------------------------------------------------------------- competitors
/** Kindred runs with the node flags of its production start script (`api` package, `start:prod`). */
const PRODUCTION_NODE_FLAGS = (() => {
  const script: string = JSON.parse(readFileSync(`${ROOT}api/package.json`, 'utf8')).scripts['start:prod'];
  const flags = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/app\/main\.js$/.exec(script)?.[1];
  if (flags === undefined) throw new Error(`cannot read the node flags of api's start:prod: ${script}`);
  return flags.trim().split(' ').filter(Boolean);
})();
/** A Kindred process from the build in `dist` (an api/dist directory). */
function kindredSpec(url: string, dist: string): ServerSpec {
  return {
    name: 'kindred',
    args: [...PRODUCTION_NODE_FLAGS, `${dist}app/main.js`],
    cwd: dirname(dist),
    env: {
      DATABASE_URL: url,
      NODE_ENV: 'production',
      KINDRED_DEMO_DATA: 'off',
      // The benchmark is one client hammering the API: lift the per-client rate limit.
      RATE_LIMIT_PER_MINUTE: '100000000',
      // No scenario sends mail (seat mutations mail nobody), but production refuses to start
      // without an SMTP server: a port where none listens would only delay mail, never a request.
      SMTP_URL: 'smtp://127.0.0.1:9',
      // The scenarios' staff sign in once, before measuring, with a password: the second factor
      // changes only that sign-in, which is not measured.
      KINDRED_STAFF_MFA: 'optional',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    ready: /Kindred API/,
  };
}

const swc = ['--import', '@swc-node/register/esm-register'];
const specs: Record<string, (url: string) => ServerSpec> = {
  floor: (url) => ({
    name: 'floor',
    args: [...swc, 'src/floor/catalogue-server.ts'],
    cwd: BENCH,
    env: { DATABASE_URL: url, NODE_ENV: 'production' },
    ready: /listening \d+/,
  }),
  postgraphile: (url) => ({
    name: 'postgraphile',
    args: [...swc, 'src/peer/server.ts'],
    cwd: BENCH,
    env: { DATABASE_URL: url, NODE_ENV: 'production' },
    ready: /listening \d+/,
  }),
  'kindred-nocache': (url) => ({
    ...specs.kindred!(url),
    name: 'kindred-nocache',
    env: { ...specs.kindred!(url).env, KINDRED_PUBLIC_CACHE: 'off' },
  }),
  kindred: (url) => kindredSpec(url, API_DIST),
};

function kindredPage(data: unknown): CataloguePage {
  const groups = (data as { groups: { nodes: Record<string, any>[]; pageInfo: { hasNextPage: boolean } } }).groups;
  return {
    hasNextPage: groups.pageInfo.hasNextPage,
    rows: groups.nodes.map((n) => ({
      id: uuidOfGlobalId(n.id),
      title: n.title,
      capacity: n.capacity,
      program: { id: uuidOfGlobalId(n.program.id), title: n.program.title },
      leadTherapist: { id: uuidOfGlobalId(n.leadTherapist.id), displayName: n.leadTherapist.displayName },
      seatsTaken: n.seatsTaken,
      seatsAvailable: n.seatsAvailable,
      nextSession: n.nextSession ? { id: uuidOfGlobalId(n.nextSession.id), startsAt: isoInstant(n.nextSession.startsAt) } : null,
    })),
  };
}

const catalogueRequest = (name: string, url: string): GraphQLRequest => ({
  url,
  body: JSON.stringify({
    query: name === 'postgraphile' ? PEER_CATALOGUE_DOCUMENT : CATALOGUE_DOCUMENT,
    variables: { first: CATALOGUE_PAGE_SIZE },
  }),
});

async function cataloguePage(name: string, url: string): Promise<CataloguePage> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: catalogueRequest(name, url).body,
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`${name} answered errors: ${JSON.stringify(body.errors)}`);
  return name === 'postgraphile' ? normalisePeerCatalogue(body) : kindredPage(body.data);
}

/** SQL statements per request, counted on the wire by a proxy (a separate start of the server). */
async function statementsPerRequest(name: string, request: (url: string) => Promise<GraphQLRequest>, samples = 20): Promise<number> {
  const counter = await startStatementCounter(databaseUrl);
  const proc = await startServer(specs[name]!(counter.url));
  try {
    const req = await request(proc.url);
    const send = () => fetch(req.url, { method: 'POST', headers: { 'content-type': 'application/json', ...req.headers }, body: req.body });
    await (await send()).text(); // warm caches and connections
    counter.reset();
    for (let i = 0; i < samples; i++) await (await send()).text();
    return Math.round((counter.count() / samples) * 10) / 10;
  } finally {
    await proc.stop();
    await counter.close();
  }
}

/** Warm-up then one timed run per concurrency level, sampling the server's RSS throughout. */
async function timedRuns(proc: ServerProcess, request: GraphQLRequest): Promise<Pick<ServerFigures, 'runs' | 'peakRssMiB'>> {
  let peak = proc.rssMiB();
  const sampler = setInterval(() => {
    peak = Math.max(peak, proc.rssMiB());
  }, 200);
  try {
    const runs = [];
    for (const connections of levels) {
      await runLoad(request, connections, warmup);
      const run = await runLoad(request, connections, seconds);
      log(`  ${proc.name} ${connections} conn: ${run.requestsPerSecond} req/s, p99 ${run.p99Ms} ms`);
      runs.push(run);
    }
    return { runs, peakRssMiB: peak };
  } finally {
    clearInterval(sampler);
  }
}

const results: ScenarioFigures[] = [];
const storms: StormFigures[] = [];
const failures: string[] = [];

// ---------------------------------------------------------------- catalogue: floor, peer, Kindred
if (wanted('catalogue')) {
  log('catalogue: checking every competitor answers the same page…');
  const scenario: ScenarioFigures = { scenario: 'catalogue', servers: [] };
  let reference: CataloguePage | null = null;
  // Kindred with its public catalogue cache off shows what the cache buys (and the raw engine).
  for (const name of ['floor', 'postgraphile', 'kindred-nocache', 'kindred']) {
    const proc = await startServer(specs[name]!(databaseUrl));
    try {
      const page = await cataloguePage(name, proc.url);
      if (page.rows.length === 0) failures.push(`${name}: the catalogue page is empty`);
      if (!reference) reference = page;
      else if (JSON.stringify(page) !== JSON.stringify(reference)) {
        failures.push(`${name}: catalogue differs from the floor's`);
        log(`${name} differs:\n${JSON.stringify(page).slice(0, 600)}\nfloor:\n${JSON.stringify(reference).slice(0, 600)}`);
        continue;
      }
      const figures = await timedRuns(proc, catalogueRequest(name, proc.url));
      scenario.servers.push({ name, statementsPerRequest: 0, ...figures });
    } finally {
      await proc.stop();
    }
    const server = scenario.servers.find((s) => s.name === name);
    if (server) server.statementsPerRequest = await statementsPerRequest(name, async (url) => catalogueRequest(name, url));
  }
  results.push(scenario);
}

// ---------------------------------------------------------------- Kindred-only scenarios
const kindredScenarios: { name: string; request: (url: string) => Promise<GraphQLRequest> }[] = [
  {
    name: 'group-detail',
    request: async (url) => ({
      url,
      headers: { authorization: `Bearer ${await signIn(url, seed.admin.email, seed.admin.password)}` },
      body: JSON.stringify({ query: GROUP_DETAIL_DOCUMENT, variables: { id: toGlobalId('Group', seed.busyGroupId) } }),
    }),
  },
  {
    name: 'therapist-roster',
    request: async (url) => ({
      url,
      headers: {
        authorization: `Bearer ${await signIn(url, seed.therapistOfBusyGroup.email, seed.therapistOfBusyGroup.password)}`,
      },
      body: JSON.stringify({ query: THERAPIST_ROSTER_DOCUMENT, variables: { id: toGlobalId('Group', seed.therapistOfBusyGroup.groupId) } }),
    }),
  },
  {
    name: 'nodes-50',
    request: async (url) => ({
      url,
      headers: { authorization: `Bearer ${seed.partner.apiKey}` },
      body: JSON.stringify({
        query: NODES_DOCUMENT,
        variables: { ids: seed.sampleNodeIds.slice(0, 50).map((n) => toGlobalId(n.type, n.id)) },
      }),
    }),
  },
];
for (const scenario of kindredScenarios.filter((s) => wanted(s.name))) {
  const proc = await startServer(specs.kindred!(databaseUrl));
  try {
    const request = await scenario.request(proc.url);
    // The answer must be data, not errors, before it is worth timing.
    const probe = (await (
      await fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: request.body })
    ).json()) as { data?: unknown; errors?: unknown };
    if (probe.errors || !probe.data) {
      failures.push(`${scenario.name}: ${JSON.stringify(probe.errors)}`);
      continue;
    }
    log(`${scenario.name}:`);
    const figures = await timedRuns(proc, request);
    const statements = await statementsPerRequest('kindred', scenario.request);
    results.push({ scenario: scenario.name, servers: [{ name: 'kindred', statementsPerRequest: statements, ...figures }] });
  } finally {
    await proc.stop();
  }
}

/** The storm's writes as raw SQL on `db`, as the bench partner (the floor's side of every storm). */
const floorSeats = (db: pg.Pool): SeatClient => ({
  reserve: (memberId, groupId) => reserveSql(db, seed.partner.id, groupId, memberId),
  cancel: (id) => cancelSql(db, seed.partner.id, id),
});

// ---------------------------------------------------------------- storm: raw SQL floor, Kindred
if (wanted('storm')) {
  const stormSeconds = smoke ? 2 : seconds;
  const floorClient = floorSeats(pool);
  const floor: StormFigures = { name: 'floor (SQL)', runs: [], violations: [] };
  const kindred: StormFigures = { name: 'kindred', runs: [], violations: [] };
  log('storm:');
  for (const connections of levels) {
    floor.runs.push(await runStorm(floorClient, seed.stormGroupIds, seed.stormMemberIds, connections, stormSeconds));
    floor.violations.push(...(await seatRuleViolations(pool, seed.stormGroupIds)));
    log(`  floor ${connections} conn: ${floor.runs.at(-1)!.transactionsPerSecond} tx/s`);
  }
  const bare: StormFigures = { name: 'bare request', runs: [], violations: [] };
  const proc = await startServer(specs.kindred!(databaseUrl));
  try {
    const client = kindredSeatClient(proc.url, seed.partner.apiKey);
    await runStorm(client, seed.stormGroupIds, seed.stormMemberIds, levels.at(-1)!, Math.min(warmup, 5));
    for (const connections of levels) {
      kindred.runs.push(await runStorm(client, seed.stormGroupIds, seed.stormMemberIds, connections, stormSeconds, proc.pid));
      kindred.violations.push(...(await seatRuleViolations(pool, seed.stormGroupIds)));
      log(`  kindred ${connections} conn: ${kindred.runs.at(-1)!.transactionsPerSecond} tx/s`);
    }
    // What Kindred spends on a request that does no seat work: HTTP, GraphQL and the partner's
    // authentication, same client. With the floor's CPU it bounds the ratio any HTTP API could reach.
    const bareClient = kindredBareClient(proc.url, seed.partner.apiKey);
    for (const connections of levels) {
      bare.runs.push(await runStorm(bareClient, seed.stormGroupIds, seed.stormMemberIds, connections, stormSeconds, proc.pid));
      log(`  kindred, bare request ${connections} conn: ${bare.runs.at(-1)!.transactionsPerSecond} req/s`);
    }
  } finally {
    await proc.stop();
  }
  storms.push(floor, kindred, bare);
  for (const storm of storms) {
    if (storm.violations.length) failures.push(`${storm.name}: seat rules broken: ${storm.violations.slice(0, 3).join('; ')}`);
    const errors = storm.runs.reduce((n, r) => n + r.errors, 0);
    if (errors)
      failures.push(`${storm.name}: ${errors} storm transactions failed, first: ${storm.runs.find((r) => r.firstError)?.firstError}`);
  }
}

// ---------------------------------------------------------------- hot group: 4 Kindred processes vs the floor
const hotGroups: HotFigures[] = [];
if (wanted('hot-group')) {
  const size = smoke ? { members: 40, capacity: 12, cancels: 10 } : { members: 200, capacity: 12, cancels: 30 };
  log(
    `hot-group: ${size.members} members into ${size.capacity} seats, then ${size.cancels} cancellations, ${hotRounds} round(s) per level`,
  );
  // Four processes with 8 connections each: 32 in all, as many as the floor's pool at 32 clients.
  // One of them runs the job worker, as a deployment with one worker would: four workers' pools
  // on top would crowd the machine's PostgreSQL (100 connections, shared with the floor's 32).
  const procs: ServerProcess[] = [];
  const floorPool = new pg.Pool({ connectionString: databaseUrl, max: Math.max(...levels) });
  floorPool.on('connect', (client) => void client.query(`set lock_timeout = '5s'`));
  try {
    for (let i = 0; i < 4; i++) {
      const spec = kindredSpec(databaseUrl, HOT_DIST);
      const env = { ...spec.env, DB_POOL_MAX: '8', ...(i > 0 ? { KINDRED_WORKER: 'off' } : {}) };
      procs.push(await startServer({ ...spec, name: `kindred-${i + 1}`, env }));
    }
    const group = await createHotGroup(pool, { url: procs[0]!.url, admin: seed.admin, partnerApiKey: seed.partner.apiKey }, size);
    const sides = [
      { figures: { name: 'floor (SQL)', runs: [], violations: [] } as HotFigures, client: floorSeats(floorPool) },
      {
        figures: { name: HOT_DIST === API_DIST ? 'kindred ×4' : 'kindred ×4 (api-dist)', runs: [], violations: [] } as HotFigures,
        client: roundRobin(procs.map((p) => kindredSeatClient(p.url, seed.partner.apiKey))),
      },
    ];
    // Unmeasured rounds first, so connections are open, statements prepared and each process's code warm.
    for (let r = 0; r < (smoke ? 1 : 2); r++) {
      for (const side of sides) await hotRound(pool, side.client, group, Math.max(...levels), size.cancels);
    }
    for (const connections of levels) {
      const rounds = sides.map(() => [] as HotRound[]);
      // Rounds alternate between the two sides, so drift on a shared machine falls on both.
      for (let r = 0; r < hotRounds; r++) {
        for (const [i, side] of sides.entries()) rounds[i]!.push(await hotRound(pool, side.client, group, connections, size.cancels));
      }
      for (const [i, side] of sides.entries()) {
        const run = summarise(connections, rounds[i]!);
        side.figures.runs.push(run);
        side.figures.violations.push(...rounds[i]!.flatMap((r) => r.violations));
        log(`  ${side.figures.name} ${connections} conn: ${run.reservationsPerSecond} reservations/s, lock p50 ${run.lockP50Ms} ms`);
      }
    }
    hotGroups.push(...sides.map((s) => s.figures));
    // The checks above must be able to fail: each rule broken on purpose, then rolled back.
    const finalSeats = expectedFor(size.capacity, size.members - size.cancels);
    failures.push(...(await checksMissingTampering(pool, group.groupId, finalSeats)).map((m) => `hot-group seat checks: ${m}`));
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await floorPool.end();
  }
  for (const side of hotGroups) {
    if (side.violations.length) failures.push(`hot-group ${side.name}: seat rules broken: ${side.violations.slice(0, 3).join('; ')}`);
    const errors = side.runs.reduce((n, r) => n + r.errors, 0);
    if (errors)
      failures.push(`hot-group ${side.name}: ${errors} requests failed, first: ${side.runs.find((r) => r.firstError)?.firstError}`);
  }
}

// ---------------------------------------------------------------- catalogue during a rush: Kindred vs floor
const rush: RushFigures[] = [];
if (wanted('catalogue-rush')) {
  // Reads at the highest level while 8 clients write at a fixed rate in the background (the
  // storm's reserve/cancel over its groups): the same writes for both sides.
  const writers = smoke ? 2 : 8;
  const writesPerSecond = smoke ? 20 : 100;
  const connections = Math.max(...levels);
  log(`catalogue-rush: catalogue at ${connections} conn while ${writers} clients write ${writesPerSecond} seat tx/s`);
  for (const name of ['floor', 'kindred']) {
    const proc = await startServer(specs[name]!(databaseUrl));
    try {
      const seats = name === 'floor' ? floorSeats(pool) : kindredSeatClient(proc.url, seed.partner.apiKey);
      const writes = runStorm(
        seats,
        seed.stormGroupIds,
        seed.stormMemberIds,
        writers,
        warmup + seconds + 1,
        undefined,
        writesPerSecond / writers,
      );
      await runLoad(catalogueRequest(name, proc.url), connections, warmup);
      const reads = await runLoad(catalogueRequest(name, proc.url), connections, seconds);
      const figures = { name, reads, writes: await writes, violations: await seatRuleViolations(pool, seed.stormGroupIds) };
      log(`  ${name}: ${reads.requestsPerSecond} req/s, p99 ${reads.p99Ms} ms, writes ${figures.writes.transactionsPerSecond} tx/s`);
      rush.push(figures);
      if (figures.violations.length)
        failures.push(`catalogue-rush ${name}: seat rules broken: ${figures.violations.slice(0, 3).join('; ')}`);
      if (reads.errors + reads.non2xx + figures.writes.errors)
        failures.push(
          `catalogue-rush ${name}: ${reads.errors + reads.non2xx} reads and ${figures.writes.errors} writes failed (${figures.writes.firstError ?? ''})`,
        );
    } finally {
      await proc.stop();
    }
  }
}

// ---------------------------------------------------------------- soak (only with --soak)
let soakFigures: SoakFigures | null = null;
if (soak) {
  const minutes = Number(flags['soak-minutes'] ?? 10);
  log(`soak: one Kindred process, 8 clients (catalogue read, reserve, cancel), ${minutes} min`);
  const proc = await startServer(specs.kindred!(databaseUrl));
  try {
    soakFigures = await runSoak({
      db: pool,
      server: proc,
      seats: kindredSeatClient(proc.url, seed.partner.apiKey),
      catalogue: { query: CATALOGUE_DOCUMENT, variables: { first: CATALOGUE_PAGE_SIZE } },
      groupIds: seed.stormGroupIds,
      memberIds: seed.stormMemberIds,
      minutes,
      connections: 8,
      onMinute: log,
    });
  } finally {
    await proc.stop();
  }
  const violations = await seatRuleViolations(pool, seed.stormGroupIds);
  if (violations.length) failures.push(`soak: seat rules broken: ${violations.slice(0, 3).join('; ')}`);
  if (soakFigures.errors) failures.push(`soak: ${soakFigures.errors} requests failed, first: ${soakFigures.firstError}`);
}
await pool.end();

// ---------------------------------------------------------------- report
const table = [formatTable(results, storms), formatHotGroup(hotGroups), formatRush(rush), soakFigures ? formatSoak(soakFigures) : '']
  .filter(Boolean)
  .join('\n\n');
const catalogue = results.find((s) => s.scenario === 'catalogue');
const by = (name: string) => catalogue?.servers.find((s) => s.name === name);
const summary: string[] = [];
if (by('kindred') && by('floor')) summary.push(formatRatios('catalogue, Kindred / floor', ratios(by('kindred')!, by('floor')!)));
if (by('kindred-nocache') && by('floor'))
  summary.push(formatRatios('catalogue uncached, Kindred / floor (target ≥ ×0.6)', ratios(by('kindred-nocache')!, by('floor')!)));
if (by('kindred') && by('postgraphile'))
  summary.push(formatRatios('catalogue, Kindred / PostGraphile', ratios(by('kindred')!, by('postgraphile')!)));
if (storms.length === 3) {
  const storm = ratios(storms[1]!, storms[0]!);
  summary.push(formatRatios('storm, Kindred / raw-SQL floor', storm));
  const ceiling = formatCeiling(storms[0]!, storms[2]!);
  if (ceiling) summary.push(ceiling);
  const againstCeiling = formatAgainstCeiling(storm, storms[0]!, storms[2]!);
  if (againstCeiling) summary.push(againstCeiling);
}
if (hotGroups.length === 2)
  summary.push(formatRatios('hot-group, Kindred / raw-SQL floor (target ≥ ×0.5)', ratios(hotGroups[1]!, hotGroups[0]!)));
if (rush.length === 2)
  summary.push(
    formatRatios('catalogue-rush, Kindred / floor (target ≥ ×5)', ratios({ runs: [rush[1]!.reads] }, { runs: [rush[0]!.reads] })),
  );
process.stdout.write(`\n${table}\n\n${summary.join('\n')}\n`);

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  postgres: server.embedded ? 'embedded' : 'DATABASE_URL',
};
const outDir = `${BENCH}results/`;
mkdirSync(outDir, { recursive: true });
writeFileSync(
  `${outDir}${smoke ? 'smoke' : soak ? 'soak' : 'latest'}.json`,
  `${JSON.stringify({ ranAt: new Date().toISOString(), machine, settings: { scale, seconds, warmup, levels }, seed: seed.counts, scenarios: results, storms, hotGroups, catalogueRush: rush, soak: soakFigures, failures }, null, 2)}\n`,
);
await admin.end();
await server.stop();
if (failures.length) {
  process.stderr.write(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
  process.exit(1);
}
