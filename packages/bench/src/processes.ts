/** Competitor servers as child processes: started one at a time, measured alone, stopped. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { freePort } from '@kindred/embedded-db';

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** Resident set size now, in MiB (from /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** Arguments to node. */
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** A stdout line that says the server is ready. */
  ready: RegExp;
}

export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} did not start in 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      collect(chunk);
      if (spec.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited with ${code} before it was ready:\n${output}`));
    });
  });
  // Past start-up, only keep draining the pipes (a full pipe would stall the server) — into a
  // file when BENCH_SERVER_LOG names one, to read what a server said when a run failed.
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  if (process.env.BENCH_SERVER_LOG) {
    const log = createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' });
    log.write(`--- ${spec.name} (pid ${child.pid}) ${new Date().toISOString()}\n${output}`);
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
  } else {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  return {
    name: spec.name,
    url: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    rssMiB: () => rssMiB(child),
    stop: () => stopChild(child),
  };
}

function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
