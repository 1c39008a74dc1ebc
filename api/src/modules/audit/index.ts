/**
 * Audit: the append-only records of who read which member's personal identifiers, and of every
 * action admins, therapists and partners took (`staffActions`).
 */
export { IdentifierAuditEntity } from './identifier-audit.entity.js';
export { StaffActionEntity } from './staff-action.entity.js';
export { auditLoaders } from './staff-action.loaders.js';
export { StaffActionResolver } from './staff-action.resolver.js';
