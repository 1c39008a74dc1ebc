/**
 * The soak (`pnpm bench --soak`): one Kindred process under a steady mixed load for minutes —
 * each client reads the catalogue, reserves a seat and cancels it, again and again — to see
 * whether throughput, latency or the server's memory drift between the first and the last
 * minute. It runs on the PostgreSQL as it is configured (no VACUUM or ANALYZE of its own), and
 * reports whether autovacuum is on and the dead rows the load left.
 */
import type pg from 'pg';
import { graphql } from './kindred-client.js';
import type { ServerProcess } from './processes.js';
import type { SeatClient } from './storm.js';

interface Done {
  /** Seconds since the start when it finished. */
  at: number;
  ms: number;
  kind: 'read' | 'seat';
}

interface SoakWindow {
  label: string;
  readsPerSecond: number;
  seatTransactionsPerSecond: number;
  readP50Ms: number;
  seatP50Ms: number;
  /** The server's mean resident memory over the window. */
  rssMiB: number;
}

export interface SoakFigures {
  minutes: number;
  connections: number;
  windowSeconds: number;
  windows: SoakWindow[];
  errors: number;
  firstError?: string;
  autovacuum: string;
  /** Dead rows of the tables the load writes, at the end (pg_stat_user_tables). */
  deadRows: Record<string, number>;
}

const p50 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10 : 0;
};

function windowOf(label: string, done: Done[], rss: { at: number; mib: number }[], from: number, to: number): SoakWindow {
  const inside = done.filter((d) => d.at >= from && d.at < to);
  const reads = inside.filter((d) => d.kind === 'read');
  const seats = inside.filter((d) => d.kind === 'seat');
  const memory = rss.filter((r) => r.at >= from && r.at < to).map((r) => r.mib);
  const seconds = to - from;
  return {
    label,
    readsPerSecond: Math.round(reads.length / seconds),
    seatTransactionsPerSecond: Math.round(seats.length / seconds),
    readP50Ms: p50(reads.map((d) => d.ms)),
    seatP50Ms: p50(seats.map((d) => d.ms)),
    rssMiB: memory.length ? Math.round(memory.reduce((a, b) => a + b, 0) / memory.length) : 0,
  };
}

export async function runSoak(options: {
  db: pg.Pool;
  server: ServerProcess;
  seats: SeatClient;
  catalogue: { query: string; variables: Record<string, unknown> };
  groupIds: string[];
  memberIds: string[];
  minutes: number;
  connections: number;
  onMinute?: (line: string) => void;
}): Promise<SoakFigures> {
  const { server, seats, groupIds, memberIds, connections } = options;
  const total = options.minutes * 60;
  const done: Done[] = [];
  const rss: { at: number; mib: number }[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const now = () => (performance.now() - started) / 1000;
  const sampler = setInterval(() => {
    rss.push({ at: now(), mib: server.rssMiB() });
    if (rss.length % 60 === 0) options.onMinute?.(`  soak ${Math.round(now() / 60)} min: ${done.length} operations`);
  }, 1000);
  const timed = async <T>(kind: Done['kind'], work: () => Promise<T>): Promise<T | undefined> => {
    const sent = performance.now();
    try {
      const value = await work();
      done.push({ at: now(), ms: performance.now() - sent, kind });
      return value;
    } catch (error) {
      errors++;
      firstError ??= String(error);
      return undefined;
    }
  };
  try {
    await Promise.all(
      Array.from({ length: connections }, async (_, client) => {
        // Each client its own members, so no two clients ever reserve for one member.
        const mine = memberIds.filter((_, i) => i % connections === client);
        for (let n = 0; now() < total; n++) {
          await timed('read', () => graphql(server.url, options.catalogue.query, options.catalogue.variables));
          const id = await timed('seat', () => seats.reserve(mine[n % mine.length]!, groupIds[(client * 7 + n * 13) % groupIds.length]!));
          if (id) await timed('seat', () => seats.cancel(id));
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const windowSeconds = Math.min(60, total / 3);
  const { rows } = await options.db.query<{ autovacuum: string }>('show autovacuum');
  const dead = await options.db.query<{ relname: string; n_dead_tup: string }>(
    `select relname, n_dead_tup from pg_stat_user_tables
      where relname in ('reservation', 'reservation_event', 'therapy_group', 'staff_action', 'catalogue_change') order by relname`,
  );
  return {
    minutes: options.minutes,
    connections,
    windowSeconds,
    windows: [
      windowOf(`first ${windowSeconds} s`, done, rss, 0, windowSeconds),
      windowOf(`last ${windowSeconds} s`, done, rss, total - windowSeconds, total),
    ],
    errors,
    ...(firstError ? { firstError } : {}),
    autovacuum: rows[0]!.autovacuum,
    deadRows: Object.fromEntries(dead.rows.map((r) => [r.relname, Number(r.n_dead_tup)])),
  };
}

export function formatSoak(soak: SoakFigures): string {
  const pad = (value: string | number, width: number) => String(value).padStart(width);
  const header = `${`soak, kindred, ${soak.connections} conn, ${soak.minutes} min`.padEnd(36)}${pad('reads/s', 9)}${pad('seat tx/s', 11)}${pad('read p50 ms', 13)}${pad('seat p50 ms', 13)}${pad('RSS MiB', 9)}`;
  const lines = [header, '-'.repeat(header.length)];
  for (const w of soak.windows) {
    lines.push(
      `${w.label.padEnd(36)}${pad(w.readsPerSecond, 9)}${pad(w.seatTransactionsPerSecond, 11)}${pad(w.readP50Ms, 13)}${pad(w.seatP50Ms, 13)}${pad(w.rssMiB, 9)}`,
    );
  }
  const dead = Object.entries(soak.deadRows)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');
  lines.push(`errors ${soak.errors}; PostgreSQL autovacuum = ${soak.autovacuum}; dead rows at the end: ${dead}`);
  return lines.join('\n');
}
