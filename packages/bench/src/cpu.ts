/**
 * CPU spent per transaction, from Linux's /proc: the whole machine (every core, PostgreSQL
 * included), the server process under test, and this benchmark process (the load generator, or
 * for the raw-SQL floor the floor itself). Milliseconds of CPU per transaction are steadier than
 * transactions per second on a shared machine, and they add up: what one request costs on top of
 * another is the difference. Elsewhere than Linux the figures are left out.
 */
import { readFileSync } from 'node:fs';

export interface CpuPerTransaction {
  /** Busy CPU of the whole machine (all processes, interrupts), ms per transaction. */
  machineMs: number;
  /** The server process (0 when the work runs in this process). */
  serverMs: number;
  /** This process: the load generator (and, for the floor, the floor itself). */
  benchMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function processTicks(pid: number | 'self'): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function machineBusyTicks(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

/** Starts counting; call the result with the number of transactions done since. */
export function countCpu(serverPid?: number): (transactions: number) => CpuPerTransaction | undefined {
  if (process.platform !== 'linux') return () => undefined;
  const start = { machine: machineBusyTicks(), server: serverPid ? processTicks(serverPid) : 0, bench: processTicks('self') };
  return (transactions) => {
    if (transactions <= 0) return undefined;
    const per = (ticks: number) => Math.round(((ticks * TICK_MS) / transactions) * 100) / 100;
    return {
      machineMs: per(machineBusyTicks() - start.machine),
      serverMs: serverPid ? per(processTicks(serverPid) - start.server) : 0,
      benchMs: per(processTicks('self') - start.bench),
    };
  };
}
