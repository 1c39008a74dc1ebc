import type { Context } from '../graphql/context.js';
import type { Viewer } from './viewer.js';

/** Platform staff: configures everything, never reads personal identifiers. */
export const isAdmin = (viewer: Viewer): boolean => viewer.kind === 'ADMIN';

/** The viewer is the person of member record `memberId` (signed in with that record's own sign-in). */
export const isSelf = (viewer: Viewer, memberId: string): boolean => viewer.kind === 'MEMBER' && viewer.memberIds.includes(memberId);

/** The viewer is the partner that referred the member whose partner is `partnerId`. */
export const isReferringPartner = (viewer: Viewer, partnerId: string | null | undefined): boolean =>
  viewer.kind === 'PARTNER' && partnerId != null && viewer.partnerId === partnerId;

/** The viewer leads or co-leads the group. */
export async function isGroupTherapist(ctx: Context, groupId: string): Promise<boolean> {
  const { viewer } = ctx;
  if (viewer.kind !== 'THERAPIST') return false;
  const groupIds = await ctx.loaders.groupIdsOfTherapist.load(viewer.therapistId);
  return groupIds.has(groupId);
}

/**
 * The viewer leads or co-leads a group in which the member holds or ever held a reservation
 * (HELD, CONFIRMED or WAITLISTED — every reservation starts as one of those, so a cancelled
 * one still counts: a clinician keeps access to the record of someone they were assigned).
 */
export async function isAssignedTherapist(ctx: Context, memberId: string): Promise<boolean> {
  const { viewer } = ctx;
  if (viewer.kind !== 'THERAPIST') return false;
  return ctx.loaders.assignedToViewer.load(memberId);
}

/** The one rule for personal identifiers (docs/personal-identifiers.md): the member itself or an assigned therapist. */
export async function canReadIdentifiers(ctx: Context, memberId: string): Promise<boolean> {
  return isSelf(ctx.viewer, memberId) || (await isAssignedTherapist(ctx, memberId));
}
