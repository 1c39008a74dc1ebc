import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchema } from './20261125-0001-initial-schema.js';
import { SeatEngine } from './20261126-0002-seat-engine.js';
import { SystemSeatHistory } from './20261126-0003-system-seat-history.js';
import { CatalogueOrderIndex } from './20261126-0004-catalogue-order-index.js';
import { CatalogueChangeLog } from './20261126-0005-catalogue-change-log.js';
import { SignedCheckPlpgsql } from './20261126-0006-signed-check-plpgsql.js';
import { TherapistAccessViews } from './20261203-0007-therapist-access-views.js';
import { JobsAndStaffActions } from './20261203-0008-jobs-and-staff-actions.js';
import { OwnCredentials } from './20261203-0009-own-credentials.js';
import { AssignmentHistory } from './20261203-0010-assignment-history.js';
import { StaffSecondFactor } from './20261203-0011-staff-second-factor.js';
import { SessionLastUsed } from './20261203-0012-session-last-used.js';
import { EncryptedIdentifiers } from './20261203-0013-encrypted-identifiers.js';
import { MemberErasure } from './20261203-0015-member-erasure.js';
import { MovedReservations } from './20261203-0016-moved-reservations.js';
import { AcceptanceOrder } from './20261203-0017-acceptance-order.js';
import { SeatFunctions } from './20261203-0018-seat-functions.js';
import { Retention } from './20261203-0014-retention.js';
import { CatalogueScopes } from './20261203-0019-catalogue-scopes.js';
import { CatalogueChangedScopes } from './20261203-0020-catalogue-changed-scopes.js';

/** Applied in order; add each new migration here. */
export const migrationsList: MigrationObject[] = [
  { name: '20261125-0001-initial-schema', class: InitialSchema },
  { name: '20261126-0002-seat-engine', class: SeatEngine },
  { name: '20261126-0003-system-seat-history', class: SystemSeatHistory },
  { name: '20261126-0004-catalogue-order-index', class: CatalogueOrderIndex },
  { name: '20261126-0005-catalogue-change-log', class: CatalogueChangeLog },
  { name: '20261126-0006-signed-check-plpgsql', class: SignedCheckPlpgsql },
  { name: '20261203-0007-therapist-access-views', class: TherapistAccessViews },
  { name: '20261203-0008-jobs-and-staff-actions', class: JobsAndStaffActions },
  { name: '20261203-0009-own-credentials', class: OwnCredentials },
  { name: '20261203-0010-assignment-history', class: AssignmentHistory },
  { name: '20261203-0011-staff-second-factor', class: StaffSecondFactor },
  { name: '20261203-0012-session-last-used', class: SessionLastUsed },
  { name: '20261203-0013-encrypted-identifiers', class: EncryptedIdentifiers },
  { name: '20261203-0014-retention', class: Retention },
  { name: '20261203-0015-member-erasure', class: MemberErasure },
  { name: '20261203-0016-moved-reservations', class: MovedReservations },
  { name: '20261203-0017-acceptance-order', class: AcceptanceOrder },
  { name: '20261203-0018-seat-functions', class: SeatFunctions },
  { name: '20261203-0019-catalogue-scopes', class: CatalogueScopes },
  { name: '20261203-0020-catalogue-changed-scopes', class: CatalogueChangedScopes },
];
