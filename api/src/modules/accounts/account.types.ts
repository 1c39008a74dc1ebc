import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';
import { AccountRole } from './account.entity.js';
import { SecondFactorSetup } from './second-factor.types.js';

export const ViewerRole = { ...AccountRole, PARTNER: 'PARTNER', ANONYMOUS: 'ANONYMOUS' } as const;

registerEnumType(ViewerRole, {
  name: 'ViewerRole',
  description: 'What the caller is, which decides what it may see and do.',
  valuesConfig: {
    ADMIN: { description: 'Platform staff: configures everything, never reads personal identifiers.' },
    THERAPIST: { description: 'A licensed clinician: its own groups, and the identifiers of their members.' },
    MEMBER: { description: 'A person in groups: the catalogue and its own record.' },
    PARTNER: { description: 'A partner app authenticated with an API key: the catalogue and its own referred members.' },
    ANONYMOUS: { description: 'No credentials: the public catalogue only.' },
  },
});

@ObjectType({ description: 'The caller of this request.' })
export class Viewer {
  @Field(() => ViewerRole, { description: 'What the caller is.' }) role!: keyof typeof ViewerRole;
}

export enum StaffAccountStatus {
  INVITED = 'INVITED',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

registerEnumType(StaffAccountStatus, {
  name: 'StaffAccountStatus',
  description: 'Where a staff account stands: it signs in only once accepted and approved by a second admin.',
  valuesConfig: {
    INVITED: { description: 'Invited; the invitee has not chosen a password yet.' },
    AWAITING_APPROVAL: { description: 'Accepted; waiting for an admin other than the inviter to approve it.' },
    ACTIVE: { description: 'Accepted and approved: it can sign in.' },
    DISABLED: { description: 'Switched off.' },
  },
});

@ObjectType('Admin', { implements: Node, description: 'A member of platform staff with an admin account. Visible to admins only.' })
export class Admin {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'When the account was created (invited).' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When a second admin approved it; null while waiting.' }) approvedAt!: Date | null;
}

export const LoginPayload = payloadType('LoginPayload', 'Result of `login`.', {
  token: { type: () => String, description: 'Bearer token for `Authorization: Bearer <token>`. Keep it secret; it is shown once.' },
  expiresAt: { type: () => Date, description: 'When the token stops working (12 hours after sign-in).' },
  viewer: { type: () => Viewer, description: 'Who is now signed in.' },
  secondFactorSetup: {
    type: () => SecondFactorSetup,
    description: 'With SECOND_FACTOR_SETUP_REQUIRED: what to add to an authenticator app before signing in again with its code.',
  },
  recoveryCodes: {
    type: () => [String],
    description: 'After a sign-in that set up a second factor: single-use recovery codes, shown only in this response.',
  },
});

export const LogoutPayload = payloadType('LogoutPayload', 'Result of `logout`.', {
  loggedOut: { type: () => Boolean, nullable: false, description: 'True when the session was ended.' },
});

const done = { type: () => Boolean, description: 'True when it was done; null when refused (see userErrors).' };
const accepted = {
  type: () => Boolean,
  description: 'True when the request was taken. The same whatever the address: whether a mail goes out is only seen in its inbox.',
};

export const AcceptInvitationPayload = payloadType('AcceptInvitationPayload', 'Result of `acceptInvitation`.', { done });
export const VerifyEmailPayload = payloadType('VerifyEmailPayload', 'Result of `verifyEmail`.', { done });
export const ResetPasswordPayload = payloadType('ResetPasswordPayload', 'Result of `resetPassword`.', { done });
export const ConfirmSignInEmailPayload = payloadType('ConfirmSignInEmailPayload', 'Result of `confirmSignInEmail`.', { done });
export const RequestPasswordResetPayload = payloadType('RequestPasswordResetPayload', 'Result of `requestPasswordReset`.', { accepted });
export const ChangeSignInEmailPayload = payloadType('ChangeSignInEmailPayload', 'Result of `changeSignInEmail`.', { accepted });
export const ResendInvitationPayload = payloadType('ResendInvitationPayload', 'Result of `resendInvitation`.', { done });
export const AdminPayload = payloadType('AdminPayload', 'Result of a mutation that invites or approves an admin.', {
  admin: { type: () => Admin, description: 'The admin account after the change.' },
});
