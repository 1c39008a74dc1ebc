import type { EntityManager } from '@mikro-orm/postgresql';
import { accessLoaders } from '../authz/access.js';
import type { Viewer } from '../authz/viewer.js';
import type { Loaders } from '../graphql/context.js';
import { accountLoaders } from '../modules/accounts/index.js';
import { agreementLoaders } from '../modules/agreements/index.js';
import { attendanceLoaders } from '../modules/attendance/index.js';
import { auditLoaders } from '../modules/audit/index.js';
import { groupLoaders } from '../modules/groups/index.js';
import { memberLoaders } from '../modules/members/index.js';
import { partnerLoaders } from '../modules/partners/index.js';
import { programLoaders } from '../modules/programs/index.js';
import { reservationLoaders } from '../modules/reservations/index.js';
import { therapistLoaders } from '../modules/therapists/index.js';

/**
 * Every batch loader of a request: the kernel's access loaders and each module's own. Created
 * per request (never shared), so a cached answer can never cross from one viewer to another.
 */
export function createLoaders(em: EntityManager, viewer: Viewer): Loaders {
  return {
    ...accessLoaders(em, viewer),
    ...accountLoaders(em),
    ...agreementLoaders(em),
    ...attendanceLoaders(em),
    ...auditLoaders(em),
    ...groupLoaders(em),
    ...memberLoaders(em),
    ...partnerLoaders(em),
    ...programLoaders(em),
    ...reservationLoaders(em),
    ...therapistLoaders(em),
  };
}
