/** The results: one table on stdout, the same figures as JSON. */
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

/** Kindred's throughput and p99 as multiples of another server's at each concurrency. */
export function ratios(kindred: { runs: (LoadResult | StormResult)[] }, other: { runs: (LoadResult | StormResult)[] }): Ratio[] {
  return kindred.runs.map((run) => {
    const theirs = other.runs.find((r) => r.connections === run.connections)!;
    const rate = (r: LoadResult | StormResult) => ('requestsPerSecond' in r ? r.requestsPerSecond : r.transactionsPerSecond);
    return {
      connections: run.connections,
      throughput: Math.round((rate(run) / Math.max(1, rate(theirs))) * 100) / 100,
      p99: Math.round((run.p99Ms / Math.max(0.1, theirs.p99Ms)) * 100) / 100,
    };
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
  const parts = floor.runs.flatMap((run) => {
    const other = bare.runs.find((r) => r.connections === run.connections);
    if (!run.cpu || !other?.cpu) return [];
    const ceiling = run.cpu.machineMs / (run.cpu.machineMs + other.cpu.machineMs);
    return [`${run.connections} conn ×${Math.round(ceiling * 100) / 100}`];
  });
  return parts.length ? `storm ceiling for an HTTP API here, floor CPU / (floor + bare request CPU): ${parts.join(' · ')}` : null;
}
