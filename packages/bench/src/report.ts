/** The results: one table on stdout, the same figures as JSON. */
import type { HotFigures } from './hot-group.js';
import type { LoadResult } from './load.js';
import type { StormResult } from './storm.js';

export interface ServerFigures {
  name: string;
  statementsPerRequest: number;
  peakRssMiB: number;
  runs: LoadResult[];
}

export interface ScenarioFigures {
  scenario: string;
  servers: ServerFigures[];
}

export interface StormFigures {
  name: string;
  runs: StormResult[];
  violations: string[];
}

export interface Ratio {
  connections: number;
  throughput: number;
  p99: number;
}

/** A run of any scenario: its concurrency, its rate (requests, transactions or reservations per second) and p99. */
type Rated = { connections: number; p99Ms: number } & (
  | { requestsPerSecond: number }
  | { transactionsPerSecond: number }
  | { reservationsPerSecond: number }
);

const rate = (r: Rated) =>
  'requestsPerSecond' in r ? r.requestsPerSecond : 'transactionsPerSecond' in r ? r.transactionsPerSecond : r.reservationsPerSecond;

/** Kindred's throughput and p99 as multiples of another server's at each concurrency. */
export function ratios(kindred: { runs: Rated[] }, other: { runs: Rated[] }): Ratio[] {
  return kindred.runs.flatMap((run) => {
    const theirs = other.runs.find((r) => r.connections === run.connections);
    if (!theirs) return [];
    return [
      {
        connections: run.connections,
        throughput: Math.round((rate(run) / Math.max(1, rate(theirs))) * 100) / 100,
        p99: Math.round((run.p99Ms / Math.max(0.1, theirs.p99Ms)) * 100) / 100,
      },
    ];
  });
}

const pad = (value: string | number, width: number) => String(value).padStart(width);

export function formatTable(scenarios: ScenarioFigures[], storms: StormFigures[]): string {
  const lines: string[] = [];
  if (scenarios.length === 0 && storms.length === 0) return '';
  const header = `${'scenario'.padEnd(18)}${'server'.padEnd(14)}${pad('conn', 5)}${pad('req/s', 8)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('SQL/req', 9)}${pad('RSS MiB', 9)}${pad('errors', 8)}`;
  if (scenarios.length) lines.push(header, '-'.repeat(header.length));
  for (const scenario of scenarios) {
    for (const server of scenario.servers) {
      for (const run of server.runs) {
        lines.push(
          `${scenario.scenario.padEnd(18)}${server.name.padEnd(14)}${pad(run.connections, 5)}${pad(run.requestsPerSecond, 8)}${pad(run.p50Ms, 9)}${pad(run.p99Ms, 9)}${pad(server.statementsPerRequest, 9)}${pad(server.peakRssMiB, 9)}${pad(run.errors + run.non2xx, 8)}`,
        );
      }
    }
  }
  if (storms.length === 0) return lines.join('\n');
  const stormHeader = `${'storm'.padEnd(18)}${'server'.padEnd(14)}${pad('conn', 5)}${pad('tx/s', 8)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('CPU ms per transaction: machine', 33)}${pad('server', 8)}${pad('bench', 7)}${pad('errors', 8)}`;
  if (lines.length) lines.push('');
  lines.push(stormHeader, '-'.repeat(stormHeader.length));
  for (const storm of storms) {
    for (const run of storm.runs) {
      lines.push(
        `${'storm'.padEnd(18)}${storm.name.padEnd(14)}${pad(run.connections, 5)}${pad(run.transactionsPerSecond, 8)}${pad(run.p50Ms, 9)}${pad(run.p99Ms, 9)}${pad(run.cpu?.machineMs ?? '', 33)}${pad(run.cpu?.serverMs ?? '', 8)}${pad(run.cpu?.benchMs ?? '', 7)}${pad(run.errors, 8)}`,
      );
    }
  }
  return lines.join('\n');
}

export function formatRatios(title: string, list: Ratio[]): string {
  return `${title}: ${list.map((r) => `${r.connections} conn ×${r.throughput} throughput, ×${r.p99} p99`).join(' · ')}`;
}

/**
 * The most any API over HTTP could reach against the raw-SQL floor on this machine: the floor's
 * CPU per transaction over the floor's plus a bare authenticated request's (`viewer`), at each
 * concurrency — as if the API's seat work cost nothing beyond the floor's own SQL.
 */
export function formatCeiling(floor: StormFigures, bare: StormFigures): string | null {
  const parts = [...ceilings(floor, bare)].map(([connections, ceiling]) => `${connections} conn ×${ceiling}`);
  return parts.length ? `storm ceiling for an HTTP API here, floor CPU / (floor + bare request CPU): ${parts.join(' · ')}` : null;
}

function ceilings(floor: StormFigures, bare: StormFigures): Map<number, number> {
  const found = new Map<number, number>();
  for (const run of floor.runs) {
    const other = bare.runs.find((r) => r.connections === run.connections);
    if (run.cpu && other?.cpu)
      found.set(run.connections, Math.round((run.cpu.machineMs / (run.cpu.machineMs + other.cpu.machineMs)) * 100) / 100);
  }
  return found;
}

/** The storm's Kindred / floor throughput as a share of the ceiling at each level (issue 17's target: ≥ ×0.9). */
export function formatAgainstCeiling(storm: Ratio[], floor: StormFigures, bare: StormFigures): string | null {
  const limits = ceilings(floor, bare);
  const parts = storm.flatMap((r) => {
    const ceiling = limits.get(r.connections);
    return ceiling ? [`${r.connections} conn ×${Math.round((r.throughput / ceiling) * 100) / 100}`] : [];
  });
  return parts.length ? `storm, Kindred / its ceiling (target ≥ ×0.9): ${parts.join(' · ')}` : null;
}

/**
 * The hot group: reservations per second of the burst (median round), its latency, the
 * cancellations' rate, and the lock hold (gap between consecutive acceptances, every round pooled).
 */
export function formatHotGroup(figures: HotFigures[]): string {
  if (figures.length === 0) return '';
  const header = `${'hot-group'.padEnd(18)}${'server'.padEnd(24)}${pad('conn', 5)}${pad('res/s', 8)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('cancel/s', 10)}${pad('lock p50', 10)}${pad('lock p99', 10)}${pad('promoted', 10)}${pad('errors', 8)}`;
  const lines = [header, '-'.repeat(header.length)];
  for (const server of figures) {
    for (const run of server.runs) {
      lines.push(
        `${'hot-group'.padEnd(18)}${server.name.padEnd(24)}${pad(run.connections, 5)}${pad(run.reservationsPerSecond, 8)}${pad(run.p50Ms, 9)}${pad(run.p99Ms, 9)}${pad(run.cancelsPerSecond, 10)}${pad(run.lockP50Ms, 10)}${pad(run.lockP99Ms, 10)}${pad(run.promotions, 10)}${pad(run.errors, 8)}`,
      );
    }
  }
  return lines.join('\n');
}

/** Catalogue reads while a storm writes: one row per server, with the writes it sustained meanwhile. */
export interface RushFigures {
  name: string;
  reads: LoadResult;
  writes: StormResult;
  violations: string[];
}

export function formatRush(figures: RushFigures[]): string {
  if (figures.length === 0) return '';
  const header = `${'catalogue-rush'.padEnd(18)}${'server'.padEnd(14)}${pad('conn', 5)}${pad('req/s', 8)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('writes tx/s', 13)}${pad('write p99', 11)}${pad('errors', 8)}`;
  const lines = [header, '-'.repeat(header.length)];
  for (const { name, reads, writes } of figures) {
    lines.push(
      `${'catalogue-rush'.padEnd(18)}${name.padEnd(14)}${pad(reads.connections, 5)}${pad(reads.requestsPerSecond, 8)}${pad(reads.p50Ms, 9)}${pad(reads.p99Ms, 9)}${pad(writes.transactionsPerSecond, 13)}${pad(writes.p99Ms, 11)}${pad(reads.errors + reads.non2xx + writes.errors, 8)}`,
    );
  }
  return lines.join('\n');
}
