/**
 * Audit: the append-only records of who read which member's personal identifiers (which the
 * member itself lists: `Member.identifierReads`), and of every action admins, therapists and
 * partners took (`staffActions`).
 */
export { IdentifierAuditEntity } from './identifier-audit.entity.js';
export { allIdentifierReadsOf, listIdentifierReads } from './identifier-read.queries.js';
export { IdentifierReadResolver } from './identifier-read.resolver.js';
export { IdentifierReadConnection } from './identifier-read.types.js';
export { StaffActionEntity } from './staff-action.entity.js';
export { auditLoaders } from './staff-action.loaders.js';
export { StaffActionResolver } from './staff-action.resolver.js';
