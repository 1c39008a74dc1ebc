import type { ConfirmLink, PasswordLink } from './use-account';

/** What a link page says: its title, its lead, its button, and the outcome once done. */
export interface LinkPageText {
  title: string;
  lead: string;
  action: string;
  done: string;
  /** Whether the person may go on to sign in here (staff) or is told this app is not for them (members). */
  signInHere: boolean;
}

const FOR_MEMBERS =
  'This admin app is for Kindred administrators and therapists only: members sign in with this address and password in the app they use Kindred with.';

export const LINK_PAGES: Record<PasswordLink | ConfirmLink, LinkPageText> = {
  invitation: {
    title: 'Choose your password',
    lead: 'You have been invited to Kindred. Choose the password you will sign in with.',
    action: 'Save password',
    done: 'Your password is saved. You can sign in once a second administrator has approved your account; if that has happened already, sign in now.',
    signInHere: true,
  },
  reset: {
    title: 'Set a new password',
    lead: 'Choose the password you will sign in with from now on.',
    action: 'Set password',
    done: 'Your password is changed. Every session signed in with the old one has ended: sign in again with the new one.',
    signInHere: true,
  },
  claim: {
    title: 'Create your Kindred sign-in',
    lead: 'Choose the password you will sign in to Kindred with.',
    action: 'Create sign-in',
    done: `Your Kindred sign-in is ready. ${FOR_MEMBERS}`,
    signInHere: false,
  },
  verify: {
    title: 'Confirm your email address',
    lead: 'Confirm that this address is yours to start using your Kindred account.',
    action: 'Confirm my address',
    done: `Your address is confirmed and your Kindred account can sign in. ${FOR_MEMBERS}`,
    signInHere: false,
  },
  'confirm-email': {
    title: 'Confirm your new sign-in address',
    lead: 'Confirm that you want to sign in to Kindred with this address from now on.',
    action: 'Confirm new address',
    done: 'Your new sign-in address is confirmed: sign in with it from now on.',
    signInHere: true,
  },
};
