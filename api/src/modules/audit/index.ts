/** Audit: the append-only record of who read which member's personal identifiers. */
export { IdentifierAuditEntity } from './identifier-audit.entity.js';
