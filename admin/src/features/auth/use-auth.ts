import { useMutation } from '@urql/vue';
import { SignInDocument, SignOutDocument } from '@/gql/graphql';
import { useMutationForm } from '@/composables/use-mutation-form';
import { leaveAfterSignOut, STAFF_ROLES, setViewer } from '@/composables/use-session';

export interface SignInFields {
  email: string;
  password: string;
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
  };
}

export type SignInOutcome = 'staff' | 'not-staff' | 'refused';

/**
 * Signs in with a cookie session (`useCookie: true`: the token never reaches JavaScript).
 * Members and partners may sign in to Kindred, but not to this app: their session is ended
 * at once and the page says why.
 */
export function useSignIn() {
  const form = useMutationForm(SignInDocument, {
    payload: (data) => data.login,
    fields: ['email', 'password'],
    validate: (variables) => validateSignIn(variables.input),
  });
  const signOut = useMutation(SignOutDocument);

  async function signIn(fields: SignInFields): Promise<SignInOutcome> {
    const payload = await form.submit({ input: { email: fields.email.trim(), password: fields.password, useCookie: true } });
    const viewer = payload?.viewer;
    if (!viewer) return 'refused';
    if (!STAFF_ROLES.includes(viewer.role)) {
      await signOut.executeMutation({});
      return 'not-staff';
    }
    setViewer({ role: viewer.role, therapist: viewer.therapist ?? null });
    return 'staff';
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
