/**
 * Reservations: the seat engine (seat-transaction.ts explains how seats move safely; the rules are PostgreSQL functions, migration 0018), reserving,
 * cancelling, removing and moving, hold expiry and the idempotency keys of seat mutations.
 */
export { sweepDueHolds } from './hold-sweeper.js';
export { purgeIdempotencyKeys } from './idempotency-retention.js';
export { endReservation } from './release.service.js';
export { ReservationEntity, ReservationStatus } from './reservation.entity.js';
export { reservationLoaders } from './reservation.loaders.js';
export { MemberReservationsResolver, ReservationResolver } from './reservation.resolver.js';
export { groupReservations, groupWaitlist } from './reservation.service.js';
export { Reservation, ReservationConnection } from './reservation.types.js';
export { confirmSignedHolds } from './seat-rules.js';
export { actorOf, runSeatTransaction, type SeatResult, setSeatActor } from './seat-transaction.js';
