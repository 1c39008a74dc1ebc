import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { catalogueChangePurge } from '../../graphql/public-cache.js';
import { startPeriodic } from '../../jobs/periodic.js';
import { PRUNE_EVERY_MS, pruneAuditTrails, pruneDevMailbox, pruneEndedSignIns, pruneFailedJobs } from '../../jobs/retention.js';
import { advanceGroupLifecycles } from '../../modules/groups/index.js';
import { purgeIdempotencyKeys, sweepDueHolds } from '../../modules/reservations/index.js';

export interface BackgroundOptions {
  /** How often this process sweeps expired holds (ms); 0 disables the sweeper. Default 5000. */
  holdSweepMs?: number;
  /** How often this process advances group lifecycles (ms); 0 disables it. Default 30000. */
  lifecycleMs?: number;
  /** The development mailbox's folder (no SMTP server): its old .eml files are pruned too. */
  devMailbox?: string;
}

/**
 * Background work every API process does; row locks with SKIP LOCKED keep processes from
 * doubling it. Returns a stop function that waits for runs in progress.
 */
export function startBackgroundWork(orm: MikroORM, logger: Logger, options: BackgroundOptions): () => Promise<void> {
  const { devMailbox } = options;
  const purgeCatalogue = catalogueChangePurge();
  const workers = [
    options.holdSweepMs === 0 ? null : startPeriodic(logger, 'hold sweep', options.holdSweepMs ?? 5000, () => sweepDueHolds(orm)),
    options.lifecycleMs === 0
      ? null
      : startPeriodic(logger, 'group lifecycle', options.lifecycleMs ?? 30_000, () => advanceGroupLifecycles(orm)),
    startPeriodic(logger, 'catalogue change purge', 60_000, () => purgeCatalogue(orm.em.fork())),
    // Retention (docs/retention.md).
    startPeriodic(logger, 'idempotency purge', PRUNE_EVERY_MS, () => purgeIdempotencyKeys(orm)),
    startPeriodic(logger, 'audit prune', PRUNE_EVERY_MS, () => pruneAuditTrails(orm)),
    startPeriodic(logger, 'failed job prune', PRUNE_EVERY_MS, () => pruneFailedJobs(orm)),
    startPeriodic(logger, 'sign-in prune', PRUNE_EVERY_MS, () => pruneEndedSignIns(orm)),
    // A development server rarely runs for an hour: its mailbox is pruned at start as well.
    devMailbox === undefined
      ? null
      : startPeriodic(logger, 'dev mailbox prune', PRUNE_EVERY_MS, () => pruneDevMailbox(devMailbox), { atStart: true }),
  ];
  return async () => {
    await Promise.all(workers.map((worker) => worker?.stop()));
  };
}
