import type { Logger } from 'pino';
import { safeErrorFields } from '../graphql/format-error.js';

/**
 * Runs `task` every `intervalMs` in this process (and at once too when `atStart`), never two at
 * once; a failure is logged (safely) and the next tick tries again. `stop()` waits for a run in
 * progress.
 */
export function startPeriodic(
  logger: Logger,
  name: string,
  intervalMs: number,
  task: () => Promise<number>,
  options: { atStart?: boolean } = {},
) {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = task()
      .then((count) => {
        if (count > 0) logger.info({ task: name, count }, `${name}: done`);
      })
      .catch((error: unknown) => logger.error({ task: name, err: safeErrorFields(error) }, `${name}: failed`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  if (options.atStart) tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
