import { useMutation, useQuery } from '@urql/vue';
import { constraintOf } from '@/composables/input-constraints';
import { useMutationForm } from '@/composables/use-mutation-form';
import {
  AcceptInvitationDocument,
  AccountSettingsDocument,
  BeginSecondFactorSetupDocument,
  ChangeSignInEmailDocument,
  ClaimMemberSignInDocument,
  ConfirmSecondFactorSetupDocument,
  ConfirmSignInEmailDocument,
  RegenerateRecoveryCodesDocument,
  RemoveSecondFactorDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  RevokeOtherSignInSessionsDocument,
  RevokeSignInSessionDocument,
  VerifyEmailDocument,
} from '@/gql/graphql';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The bounds of a chosen password (the same for every input that sets one). */
export const PASSWORD_BOUNDS = constraintOf('ResetPasswordInput', 'password');

/** A new password and its repetition, checked against the API's bounds before anything is sent. */
export function validateNewPassword(password: string, confirmation: string): Record<'password' | 'confirmation', string | undefined> {
  const { minLength, maxLength } = PASSWORD_BOUNDS;
  return {
    password: !password
      ? 'Choose a password.'
      : password.length < minLength
        ? `Use at least ${minLength} characters.`
        : password.length > maxLength
          ? `Use at most ${maxLength} characters.`
          : undefined,
    confirmation: !confirmation ? 'Enter the password again.' : confirmation === password ? undefined : 'The two passwords differ.',
  };
}

/** An email address, checked against `maxLength` before anything is sent. */
export function validateEmail(value: string, maxLength: number): string | undefined {
  const email = value.trim();
  if (!email) return 'Enter an email address.';
  if (email.length > maxLength) return `At most ${maxLength} characters.`;
  return EMAIL.test(email) ? undefined : 'Enter a valid email address.';
}

/** The mailed links whose page chooses a password, and the mutation each one calls. */
export type PasswordLink = 'invitation' | 'reset' | 'claim';
/** The mailed links whose page only confirms. */
export type ConfirmLink = 'verify' | 'confirm-email';

/** `submit({ input: { token, password } })` for a password link; null when refused (the form says why). */
export function usePasswordLink(kind: PasswordLink) {
  const fields = ['password'];
  if (kind === 'invitation') return useMutationForm(AcceptInvitationDocument, { payload: (d) => d.acceptInvitation, fields });
  if (kind === 'reset') return useMutationForm(ResetPasswordDocument, { payload: (d) => d.resetPassword, fields });
  return useMutationForm(ClaimMemberSignInDocument, { payload: (d) => d.claimMemberSignIn, fields });
}

/** `mutation({ token })` for a link that only confirms. */
export function useConfirmLink(kind: ConfirmLink) {
  return kind === 'verify'
    ? useMutationForm(VerifyEmailDocument, { payload: (d) => d.verifyEmail, fields: [] })
    : useMutationForm(ConfirmSignInEmailDocument, { payload: (d) => d.confirmSignInEmail, fields: [] });
}

/** "Forgot your password?": the same neutral answer for every address. */
export function useRequestPasswordReset() {
  const max = constraintOf('RequestPasswordResetInput', 'email').maxLength;
  return useMutationForm(RequestPasswordResetDocument, {
    payload: (d) => d.requestPasswordReset,
    fields: ['email'],
    validate: (variables) => ({ email: validateEmail(variables.input.email, max) }),
  });
}

/** The signed-in person's second factor and sessions. */
export function useAccountSettings() {
  return useQuery({ query: AccountSettingsDocument, requestPolicy: 'cache-and-network' });
}

export function useChangeSignInEmail() {
  const max = constraintOf('ChangeSignInEmailInput', 'newEmail').maxLength;
  return useMutationForm(ChangeSignInEmailDocument, {
    payload: (d) => d.changeSignInEmail,
    fields: ['newEmail', 'password'],
    validate: (variables) => ({
      newEmail: validateEmail(variables.input.newEmail, max),
      password: variables.input.password ? undefined : 'Enter your current password.',
    }),
  });
}

const codeRequired = (code: string) => (code.trim() ? undefined : 'Enter the code.');

export function useBeginSecondFactorSetup() {
  return useMutationForm(BeginSecondFactorSetupDocument, { payload: (d) => d.beginSecondFactorSetup, fields: [] });
}

export function useConfirmSecondFactorSetup() {
  return useMutationForm(ConfirmSecondFactorSetupDocument, {
    payload: (d) => d.confirmSecondFactorSetup,
    fields: ['oneTimeCode'],
    validate: (variables) => ({ oneTimeCode: codeRequired(variables.input.oneTimeCode) }),
  });
}

export function useRegenerateRecoveryCodes() {
  return useMutationForm(RegenerateRecoveryCodesDocument, {
    payload: (d) => d.regenerateRecoveryCodes,
    fields: ['oneTimeCode'],
    validate: (variables) => ({ oneTimeCode: codeRequired(variables.input.oneTimeCode) }),
  });
}

export function useRemoveSecondFactor() {
  return useMutationForm(RemoveSecondFactorDocument, {
    payload: (d) => d.removeSecondFactor,
    fields: ['password', 'oneTimeCode'],
    validate: (variables) => ({
      password: variables.input.password ? undefined : 'Enter your current password.',
      oneTimeCode: codeRequired(variables.input.oneTimeCode),
    }),
  });
}

export function useRevokeSignInSession() {
  return useMutation(RevokeSignInSessionDocument);
}

export function useRevokeOtherSignInSessions() {
  return useMutation(RevokeOtherSignInSessionsDocument);
}
