import { z } from 'zod';
import { inputType, shownDefault } from '../../graphql/input-type.js';
import { UserErrorCode } from '../../graphql/user-errors.js';
import { email, globalId, globalIdOf } from '../../graphql/validators.js';

/** NIST 800-63B favours length over composition rules. */
const PASSWORD_MIN_LENGTH = 12;

/** A new password. Too short is WEAK_PASSWORD; the minimum is published with the input's constraints. */
export const password = z
  .string()
  .max(200, 'At most 200 characters.')
  .refine((s) => s.length >= PASSWORD_MIN_LENGTH, {
    message: `At least ${PASSWORD_MIN_LENGTH} characters.`,
    params: { code: UserErrorCode.WEAK_PASSWORD },
  })
  .meta({ minLength: PASSWORD_MIN_LENGTH });

export const loginSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z.string().max(200),
  oneTimeCode: z.string().trim().max(20, 'At most 20 characters.').nullish(),
  useCookie: shownDefault(z.boolean(), false),
});

export const LoginInput = inputType('LoginInput', 'Credentials to sign in with.', loginSchema, {
  email: 'Account email (case does not matter).',
  password: 'Account password.',
  oneTimeCode:
    'Staff with a second factor: the six-digit code their authenticator app shows now, or one of their recovery codes. Asked for with ONE_TIME_CODE_REQUIRED; also confirms a setup started with SECOND_FACTOR_SETUP_REQUIRED.',
  useCookie:
    "For Kindred's own web apps on its origin: keep the session in an httpOnly cookie and leave `token` null, so no script can read it. API clients leave this false and send the token as a bearer.",
});
export type LoginInput = z.input<typeof loginSchema>;

/** The secret of an emailed link (`…#token=kat_…`). */
const linkToken = z.string().trim().min(1, 'Required.').max(200, 'At most 200 characters.');

export const confirmLinkSchema = z.object({ token: linkToken });
export const ConfirmLinkInput = inputType(
  'ConfirmLinkInput',
  'The secret of a link Kindred mailed (after `#token=` in the link).',
  confirmLinkSchema,
  {
    token: 'The secret from the link.',
  },
);
export type ConfirmLinkInput = z.input<typeof confirmLinkSchema>;

export const acceptInvitationSchema = z.object({ token: linkToken, password });
export const AcceptInvitationInput = inputType(
  'AcceptInvitationInput',
  'An invitation accepted, with the password its owner chose.',
  acceptInvitationSchema,
  {
    token: 'The secret from the invitation link.',
    password: 'The password to sign in with from now on.',
  },
);
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;

export const resetPasswordSchema = z.object({ token: linkToken, password });
export const ResetPasswordInput = inputType('ResetPasswordInput', 'A new password, set from a mailed link.', resetPasswordSchema, {
  token: 'The secret from the link.',
  password: 'The new password.',
});
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

export const requestPasswordResetSchema = z.object({ email });
export const RequestPasswordResetInput = inputType(
  'RequestPasswordResetInput',
  'An address to send a password link to.',
  requestPasswordResetSchema,
  {
    email: 'The sign-in address. The answer is the same whether it has an account or not.',
  },
);
export type RequestPasswordResetInput = z.input<typeof requestPasswordResetSchema>;

export const changeSignInEmailSchema = z.object({ newEmail: email, password: z.string().max(200) });
export const ChangeSignInEmailInput = inputType(
  'ChangeSignInEmailInput',
  'Another address to sign in with, and the current password.',
  changeSignInEmailSchema,
  {
    newEmail: 'The address to sign in with from now on; it changes once a link mailed to it is followed.',
    password: 'Your current password.',
  },
);
export type ChangeSignInEmailInput = z.input<typeof changeSignInEmailSchema>;

export const inviteAdminSchema = z.object({ email });
export const InviteAdminInput = inputType('InviteAdminInput', 'Someone to invite as an admin.', inviteAdminSchema, {
  email: 'Where the invitation goes; the answer is the same whatever the address.',
});
export type InviteAdminInput = z.input<typeof inviteAdminSchema>;

export const resendInvitationSchema = z.object({ staffId: globalIdOf('Admin', 'Therapist') });
export const ResendInvitationInput = inputType(
  'ResendInvitationInput',
  'A staff account whose invitation was not accepted yet.',
  resendInvitationSchema,
  { staffId: 'The Admin or the Therapist invited.' },
);
export type ResendInvitationInput = z.input<typeof resendInvitationSchema>;

export const approveAdminSchema = z.object({ adminId: globalId('Admin') });
export const ApproveAdminInput = inputType('ApproveAdminInput', 'An admin account to approve.', approveAdminSchema, {
  adminId: 'The admin account; an admin other than the one who invited it approves.',
});
export type ApproveAdminInput = z.input<typeof approveAdminSchema>;

/** A six-digit code from the authenticator app, or one of the recovery codes. */
const oneTimeCode = z.string().trim().min(1, 'Required.').max(20, 'At most 20 characters.');

export const oneTimeCodeSchema = z.object({ oneTimeCode });
export const OneTimeCodeInput = inputType(
  'OneTimeCodeInput',
  'A code from your authenticator app (or a recovery code).',
  oneTimeCodeSchema,
  {
    oneTimeCode: 'The six-digit code your authenticator app shows now, or one of your recovery codes.',
  },
);
export type OneTimeCodeInput = z.input<typeof oneTimeCodeSchema>;

export const removeSecondFactorSchema = z.object({ password: z.string().max(200), oneTimeCode });
export const RemoveSecondFactorInput = inputType(
  'RemoveSecondFactorInput',
  'Your password and a current code, to stop using your authenticator.',
  removeSecondFactorSchema,
  {
    password: 'Your current password.',
    oneTimeCode: 'A code from your authenticator app, or a recovery code.',
  },
);
export type RemoveSecondFactorInput = z.input<typeof removeSecondFactorSchema>;

export const revokeSignInSessionSchema = z.object({ id: globalId('SignInSession') });
export const RevokeSignInSessionInput = inputType('RevokeSignInSessionInput', 'One of your sessions to end.', revokeSignInSessionSchema, {
  id: 'The session (from `viewer.signInSessions`).',
});
export type RevokeSignInSessionInput = z.input<typeof revokeSignInSessionSchema>;
