/**
 * Groups: a program run weekly for a limited number of seats, its sessions (generated from the
 * schedule in the group's time zone) and its lifecycle; the group's seat figures, roster and
 * waitlist as GraphQL fields.
 */
export { GroupEntity, GroupFormat, GroupStatus, GroupType, Weekday } from './group.entity.js';
export { advanceGroupLifecycles } from './group-lifecycle.js';
export { groupLoaders } from './group.loaders.js';
export { freshSeatFields } from './group.queries.js';
export { TherapistAssignmentResolver } from './assignment.resolver.js';
export { GroupResolver, ReservationGroupResolver } from './group.resolver.js';
export { planSessions } from './schedule.js';
export { SessionEntity } from './session.entity.js';
export { SessionResolver } from './session.resolver.js';
export { Session } from './session.types.js';
export { TherapistGroupsResolver } from './therapist-groups.resolver.js';
