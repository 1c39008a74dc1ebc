import type { MikroORM } from '@mikro-orm/postgresql';
import type { JobTask } from '../jobs/worker.js';
import type { Mailer } from '../mail/mailer.js';
import { ACCOUNT_MAIL_TASK, accountMailTask } from '../modules/accounts/index.js';

/** What tasks need from the composition root. */
export interface TaskDependencies {
  orm: MikroORM;
  mailer: Mailer;
  /** Where links in mails point, e.g. https://kindred.example.org (no trailing slash). */
  publicUrl: string;
}

/** Every job task, by identifier: each module brings its own. */
export function createTasks(dependencies: TaskDependencies): Record<string, JobTask> {
  return { [ACCOUNT_MAIL_TASK]: accountMailTask(dependencies) };
}
