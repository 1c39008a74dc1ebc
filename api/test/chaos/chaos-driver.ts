/**
 * The chaos driver: rounds of faults while the clients work. Each round SIGKILLs one API process
 * and starts it again at once, then crashes PostgreSQL (`pg_ctl stop -m immediate`), SIGKILLs a
 * second process while the database is down and starts it again, and brings PostgreSQL back
 * once the outage has lasted `outageMs` and that new process says it is waiting for the database
 * (booting a process takes seconds on a busy machine; what is under test is that it waits, says
 * why, and becomes ready, not how fast Node boots). From PostgreSQL's return every process is
 * timed until `/readyz` — database and job worker — answers 200.
 *
 * The first SIGKILLed process is awaited ready before PostgreSQL is crashed, so each round times
 * one outage; a crash while a process migrates is tested in api/test/server/startup-wait.test.ts.
 */
import type { ApiProcess, ApiProcesses } from '../support/api-processes.js';
import type { ChaosDatabase } from './chaos-database.js';

export interface ChaosTimings {
  kills: number;
  databaseRestarts: number;
  /** Per database restart and process: ms from PostgreSQL's return to ready; null when not within the limit. */
  readyAfterDatabaseMs: (number | null)[];
  /** Per SIGKILLed process: ms from its new start to ready (it may have waited for the database). */
  readyAfterStartMs: (number | null)[];
  /** Processes that ended although nobody killed them, with their last output. */
  exitedOnTheirOwn: string[];
  /** Processes started during an outage that never said they were waiting for the database. */
  silentWaits: number;
}

export interface ChaosPlan {
  rounds: number;
  /** Calm time between faults (ms). */
  calmMs: number;
  /** How long PostgreSQL stays down (ms). */
  outageMs: number;
  /** The bound on readiness after PostgreSQL's return (ms). */
  readyWithinMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a process started while the database is down logs that it waits for it (within 2 minutes). */
async function saysWaiting(p: ApiProcess, fromLine: number): Promise<boolean> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(100)) {
    if (p.output.slice(fromLine).some((line) => line.includes('"msg":"database not ready: waiting for it"'))) return true;
  }
  return false;
}

export async function driveChaos(
  api: ApiProcesses,
  db: ChaosDatabase,
  plan: ChaosPlan,
  log: (line: string) => void,
): Promise<ChaosTimings> {
  const timings: ChaosTimings = {
    kills: 0,
    databaseRestarts: 0,
    readyAfterDatabaseMs: [],
    readyAfterStartMs: [],
    exitedOnTheirOwn: [],
    silentWaits: 0,
  };
  const killed = new Set<ApiProcess>();
  const watch = (p: ApiProcess) =>
    void p.exited.then((exit) => {
      if (!killed.has(p)) timings.exitedOnTheirOwn.push(`process ${p.index} ${JSON.stringify(exit)}:\n${p.output.slice(-20).join('\n')}`);
    });
  api.processes.forEach(watch);
  const starting: Promise<void>[] = [];

  const killAndStart = async (index: number) => {
    killed.add(api.processes[index]!);
    await api.kill(index, 'SIGKILL');
    timings.kills++;
    const startedAt = Date.now();
    watch(api.restart(index));
    const ready = api.ready(index, 120_000).then(
      () => Date.now() - startedAt,
      () => null,
    );
    starting.push(ready.then((ms) => void timings.readyAfterStartMs.push(ms)));
    return ready;
  };

  for (let round = 0; round < plan.rounds; round++) {
    await sleep(plan.calmMs);
    const first = round % api.processes.length;
    log(`round ${round + 1}: SIGKILL process ${first}, start it again`);
    await killAndStart(first);
    await sleep(plan.calmMs);

    const second = (round + 2) % api.processes.length;
    log(`round ${round + 1}: PostgreSQL stop -m immediate; SIGKILL process ${second} and start it while the database is down`);
    await db.crash();
    const fromLine = api.processes[second]!.output.length;
    void killAndStart(second);
    await sleep(plan.outageMs);
    if (!(await saysWaiting(api.processes[second]!, fromLine))) timings.silentWaits++;
    await db.restart();
    timings.databaseRestarts++;
    const back = Date.now();
    const ready = await Promise.all(
      api.processes.map((_, i) =>
        api.ready(i, plan.readyWithinMs).then(
          () => Date.now() - back,
          () => null,
        ),
      ),
    );
    log(`round ${round + 1}: PostgreSQL back; ready after ${ready.map((ms) => (ms === null ? 'NOT READY' : `${ms} ms`)).join(', ')}`);
    timings.readyAfterDatabaseMs.push(...ready);
  }
  await sleep(plan.calmMs);
  await Promise.all(starting);
  return timings;
}
