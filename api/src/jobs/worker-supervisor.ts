/**
 * Keeps this process's graphile-worker runner alive while PostgreSQL goes away and comes back,
 * with no supervisor outside the process. graphile-worker retries a failed job fetch by itself,
 * but it ends its whole pool when one worker exits early — which is what happens when the
 * database drops while a job runs and the job can be neither completed nor failed — and `run()`
 * fails while the database is down. Either way the runner is started again with backoff (0.25 s
 * doubling to 5 s, as at start-up), each wait logged with its reason's code.
 *
 * A runner can also get stuck without ending: graphile-worker 0.17.3 caches the lookup of its task
 * ids as a promise, and when the connection drops during that lookup the rejected promise is kept,
 * so every later fetch fails although the database is back. A runner whose fetches have failed
 * for `STUCK_AFTER_MS` in a row is therefore replaced too (during a long outage that means a new
 * attempt every few seconds, which costs nothing).
 *
 * Its status feeds `/readyz`: ready once a runner's job fetch reached the queue and while its
 * last one did (idle workers fetch every poll interval, so this follows the database within a
 * second).
 */
import { EventEmitter } from 'node:events';
import type { Runner, WorkerEvents } from 'graphile-worker';
import type { Logger } from 'pino';

export type JobWorkerState = 'ready' | 'unavailable';

export interface SupervisedRunner {
  /** `ready` while a runner exists and its last job fetch succeeded. */
  state(): JobWorkerState;
  /** Stops the runner for good (graceful: running jobs finish). */
  stop(): Promise<void>;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;
const STUCK_AFTER_MS = 10_000;

/** The reason as a code (never the message, which can quote a value). */
const codeOf = (error: unknown): string =>
  typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : ((error as Error)?.name ?? 'Error');

/**
 * Starts a runner with `start` (given fresh event emitters each time) and starts another whenever
 * one ends on its own. Resolves after the first attempt, whether it succeeded or was rescheduled.
 */
export async function superviseRunner(
  logger: Logger,
  start: (events: WorkerEvents) => Promise<Runner>,
  { stuckAfterMs = STUCK_AFTER_MS } = {},
): Promise<SupervisedRunner> {
  let runner: Runner | null = null;
  // Not ready until a fetch succeeds; since when fetches fail, when they do.
  let fetched = false;
  let failingSince: number | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const restartLater = (error: unknown) => {
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** failures);
    failures++;
    logger.warn({ reason: codeOf(error), attempt: failures, retryInMs: delay }, 'job worker stopped: starting it again');
    timer = setTimeout(() => void launch(), delay);
    timer.unref();
  };

  const launch = async () => {
    if (stopped) return;
    const events: WorkerEvents = new EventEmitter();
    const reached = () => {
      fetched = true;
      failingSince = null;
      failures = 0;
    };
    events.on('worker:getJob:empty', reached);
    events.on('job:start', reached);
    events.on('worker:getJob:error', ({ error }) => {
      fetched = false;
      failingSince ??= Date.now();
      if (runner && Date.now() - failingSince > stuckAfterMs) replace(runner, error);
    });
    let started: Runner;
    try {
      started = await start(events);
    } catch (error) {
      restartLater(error);
      return;
    }
    if (stopped) {
      await started.stop();
      return;
    }
    runner = started;
    fetched = false;
    failingSince = null;
    if (failures > 0) logger.info({ attempt: failures }, 'job worker running again');
    started.promise.then(
      () => ended(started, new Error('the job worker pool shut down')),
      (error: unknown) => ended(started, error),
    );
  };

  const ended = (which: Runner, error: unknown) => {
    if (runner !== which) return;
    runner = null;
    if (!stopped) restartLater(error);
  };

  const replace = (stuck: Runner, error: unknown) => {
    logger.warn(
      { reason: codeOf(error), failingForMs: Date.now() - (failingSince ?? Date.now()) },
      'job worker cannot reach its queue: replacing it',
    );
    ended(stuck, error);
    // Its own stop can fail (it tries to release jobs on the database it can't reach).
    stuck.stop().catch(() => {});
  };

  await launch();
  return {
    state: () => (runner && fetched ? 'ready' : 'unavailable'),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const current = runner;
      runner = null;
      await current?.stop();
    },
  };
}
