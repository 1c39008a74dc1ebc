import { isAdmin, isGroupTherapist, isReferringPartner, isSelf } from '../../authz/rules.js';
import type { Context } from '../../graphql/context.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import { forbidden, unauthenticated } from '../../graphql/errors.js';
import { registerNode } from '../../graphql/node.js';
import { allOf, sql } from '../../db/sql.js';
import type { View } from '../../db/views.js';
import { ReservationEntity, ReservationStatus } from './reservation.entity.js';

/**
 * Who may see a reservation: admins, the member, the member's referring partner, and the
 * therapists of the reservation's group (not of the member's other groups).
 */
async function canSeeReservation(ctx: Context, reservation: View<ReservationEntity>): Promise<boolean> {
  const { viewer } = ctx;
  if (isAdmin(viewer) || isSelf(viewer, reservation.member.id)) return true;
  if (viewer.kind === 'THERAPIST') return isGroupTherapist(ctx, reservation.group.id);
  if (viewer.kind === 'PARTNER') {
    const member = await ctx.loaders.member.load(reservation.member.id);
    return isReferringPartner(viewer, member?.partner?.id);
  }
  return false;
}

registerNode({
  typeName: 'Reservation',
  entity: ReservationEntity,
  load: (ctx, id) => ctx.loaders.reservation.load(id),
  visible: canSeeReservation,
});

/** A member's reservations filtered to those the viewer may see. */
export async function visibleReservations(ctx: Context, memberId: string): Promise<View<ReservationEntity>[]> {
  const all = await ctx.loaders.reservationsOfMember.load(memberId);
  const allowed = await Promise.all(all.map((r) => canSeeReservation(ctx, r)));
  return all.filter((_, i) => allowed[i]);
}

export interface RosterFilter {
  statuses?: ReservationStatus[] | null;
}

/**
 * A group's reservations, in waitlist-then-acceptance order: admins and the group's therapists
 * see all; a partner its own members'; a member its own. Anonymous callers are UNAUTHENTICATED,
 * other therapists FORBIDDEN.
 */
export async function groupReservations(ctx: Context, group: { id: string }, page: PageArgs, filter: RosterFilter) {
  const { viewer } = ctx;
  const where = [sql`t.group_id = ${group.id}`];
  if (filter.statuses?.length) where.push(sql`t.status = any(${filter.statuses}::reservation_status[])`);
  if (viewer.kind === 'PARTNER')
    where.push(sql`exists (select 1 from member m where m.id = t.member_id and m.partner_id = ${viewer.partnerId})`);
  else if (viewer.kind === 'MEMBER') where.push(sql`t.member_id = any(${viewer.memberIds}::uuid[])`);
  else if (viewer.kind === 'ANONYMOUS') throw unauthenticated("Sign in to see a group's roster.");
  else if (!(isAdmin(viewer) || (await isGroupTherapist(ctx, group.id))))
    throw forbidden("Only admins and the group's therapists see its roster.");
  // UUIDv7 ids are in acceptance order, so the roster reads oldest first.
  return paginate(ctx, ReservationEntity, allOf(where), page);
}

/** 1-based position among the group's waitlisted reservations, in acceptance order. */
export async function waitlistPosition(ctx: Context, reservation: View<ReservationEntity>): Promise<number | null> {
  if (reservation.status !== ReservationStatus.WAITLISTED) return null;
  return ctx.loaders.waitlistPosition.load(reservation.id);
}

/** A group's waitlist in order (position 1 first): admins and the group's therapists. */
export async function groupWaitlist(ctx: Context, group: { id: string }, page: PageArgs) {
  if (ctx.viewer.kind === 'ANONYMOUS') throw unauthenticated();
  if (!(isAdmin(ctx.viewer) || (await isGroupTherapist(ctx, group.id))))
    throw forbidden("Only admins and the group's therapists see its waitlist.");
  return paginate(ctx, ReservationEntity, sql`t.group_id = ${group.id} and t.status = 'WAITLISTED'`, page, [
    { property: 'waitlistSeq', direction: 'asc' },
  ]);
}
