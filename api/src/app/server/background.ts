import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { purgeCatalogueChanges } from '../../graphql/public-cache.js';
import { startPeriodic } from '../../jobs/periodic.js';
import { advanceGroupLifecycles } from '../../modules/groups/index.js';
import { purgeIdempotencyKeys, sweepDueHolds } from '../../modules/reservations/index.js';

export interface BackgroundOptions {
  /** How often this process sweeps expired holds (ms); 0 disables the sweeper. Default 5000. */
  holdSweepMs?: number;
  /** How often this process advances group lifecycles (ms); 0 disables it. Default 30000. */
  lifecycleMs?: number;
}

/**
 * Background work every API process does; row locks with SKIP LOCKED keep processes from
 * doubling it. Returns a stop function that waits for runs in progress.
 */
export function startBackgroundWork(orm: MikroORM, logger: Logger, options: BackgroundOptions): () => Promise<void> {
  const workers = [
    options.holdSweepMs === 0 ? null : startPeriodic(logger, 'hold sweep', options.holdSweepMs ?? 5000, () => sweepDueHolds(orm)),
    options.lifecycleMs === 0
      ? null
      : startPeriodic(logger, 'group lifecycle', options.lifecycleMs ?? 30_000, () => advanceGroupLifecycles(orm)),
    startPeriodic(logger, 'idempotency purge', 3_600_000, () => purgeIdempotencyKeys(orm)),
    startPeriodic(logger, 'catalogue change purge', 60_000, () => purgeCatalogueChanges(orm.em.fork())),
  ];
  return async () => {
    await Promise.all(workers.map((worker) => worker?.stop()));
  };
}
