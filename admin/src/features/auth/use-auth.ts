import { useMutation } from '@urql/vue';
import { SignInDocument, SignOutDocument } from '@/gql/graphql';
import { useMutationForm } from '@/composables/use-mutation-form';
import { leaveAfterSignOut, STAFF_ROLES, setViewer } from '@/composables/use-session';

export interface SignInFields {
  email: string;
  password: string;
  /** Only in the second-factor steps: the authenticator's code or a recovery code. */
  oneTimeCode?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the form before anything is sent. */
function validateSignIn(fields: SignInFields): Record<string, string | undefined> {
  return {
    email: !fields.email.trim()
      ? 'Enter your email address.'
      : EMAIL.test(fields.email.trim())
        ? undefined
        : 'Enter a valid email address.',
    password: fields.password ? undefined : 'Enter your password.',
    oneTimeCode: fields.oneTimeCode == null || fields.oneTimeCode.trim() ? undefined : 'Enter the code.',
  };
}

export interface SecondFactorSetup {
  secret: string;
  uri: string;
}

/**
 * What a sign-in attempt came to: in (with the recovery codes when it just turned the second
 * factor on), a member or partner turned away, refused (the form says why), or a second-factor
 * step to show — a code, or first the setup of an authenticator app.
 */
export type SignInOutcome =
  | { kind: 'staff'; recoveryCodes: string[] | null }
  | { kind: 'not-staff' }
  | { kind: 'refused' }
  | { kind: 'code-required' }
  | { kind: 'setup-required'; setup: SecondFactorSetup };

/**
 * Signs in with a cookie session (`useCookie: true`: the token never reaches JavaScript).
 * Members and partners may sign in to Kindred, but not to this app: their session is ended
 * at once and the page says why. Staff with a second factor are asked for a code
 * (ONE_TIME_CODE_REQUIRED); where staff must have one and have none, the answer carries the
 * setup (SECOND_FACTOR_SETUP_REQUIRED) and the next attempt with its first code turns it on.
 */
export function useSignIn() {
  const form = useMutationForm(SignInDocument, {
    payload: (data) => data.login,
    fields: ['email', 'password', 'oneTimeCode'],
    validate: (variables) => validateSignIn(variables.input),
  });
  const signOut = useMutation(SignOutDocument);

  async function signIn(fields: SignInFields): Promise<SignInOutcome> {
    const code = fields.oneTimeCode?.trim();
    const input = {
      email: fields.email.trim(),
      password: fields.password,
      useCookie: true,
      ...(code != null ? { oneTimeCode: code } : {}),
    };
    const payload = await form.submit({ input });
    const viewer = payload?.viewer;
    if (!viewer) {
      const codes = form.userErrors.value.map((error) => error.code);
      const setup = form.lastPayload.value?.secondFactorSetup;
      const step: SignInOutcome | null = codes.includes('ONE_TIME_CODE_REQUIRED')
        ? { kind: 'code-required' }
        : codes.includes('SECOND_FACTOR_SETUP_REQUIRED') && setup
          ? { kind: 'setup-required', setup: { secret: setup.secret, uri: setup.uri } }
          : null;
      if (!step) return { kind: 'refused' };
      // Not a mistake to show: the page moves on to the step.
      form.clearField('oneTimeCode');
      return step;
    }
    if (!STAFF_ROLES.includes(viewer.role)) {
      await signOut.executeMutation({});
      return { kind: 'not-staff' };
    }
    setViewer({ role: viewer.role, therapist: viewer.therapist ?? null });
    return { kind: 'staff', recoveryCodes: payload.recoveryCodes ?? null };
  }

  return { form, signIn };
}

/** Ends the session on the server, then reloads on the sign-in page (nothing cached survives). */
export function useSignOut() {
  const mutation = useMutation(SignOutDocument);
  async function signOut(): Promise<void> {
    await mutation.executeMutation({});
    leaveAfterSignOut();
  }
  return { signOut, signingOut: mutation.fetching };
}
