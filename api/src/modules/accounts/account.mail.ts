/**
 * The `account-mail` task: mails a link (invitation, address confirmation, password, a member's own
 * sign-in) or a notice. The link's secret is made here, and only its hash is stored, so it never
 * sits in a job payload or in clear in the database; a link already used or expired is not
 * mailed. What the mails say is fixed below: none names a program or a group, none carries
 * anything about a person beyond the address it goes to.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { newSecret, secretHash } from '../../authz/credentials.js';
import { pooledSql, sql } from '../../db/sql.js';
import type { JobTask } from '../../jobs/worker.js';
import type { Mail, Mailer } from '../../mail/mailer.js';
import { AccountTokenPurpose } from './account.entity.js';
import { ACCOUNT_EMAIL_ROW, type AccountEmailRow, type KeyColumns, openAccountEmail, openTokenEmail } from './account-crypto.js';
import { LINK_HOURS } from './account-tokens.js';

/** Prefix of the secrets in emailed links (`kat_`: Kindred account token). */
const LINK_PREFIX = 'kat_';

/** The admin app's page for each link; the secret travels in the URL fragment, which browsers never send to a server. */
const PAGES: Record<AccountTokenPurpose, string> = {
  [AccountTokenPurpose.INVITATION]: '/account/invitation',
  [AccountTokenPurpose.VERIFY_EMAIL]: '/account/verify',
  [AccountTokenPurpose.RESET_PASSWORD]: '/account/reset',
  [AccountTokenPurpose.CHANGE_EMAIL]: '/account/confirm-email',
  [AccountTokenPurpose.MEMBER_SIGN_IN]: '/account/sign-in',
};

/** A new link secret: what goes into the link; only its hash is stored. */
export const newLinkSecret = () => newSecret(LINK_PREFIX);

/** The link for a secret: the admin app's page for its purpose, the secret in the fragment. */
export const linkFor = (publicUrl: string, purpose: AccountTokenPurpose, secret: string) => `${publicUrl}${PAGES[purpose]}#token=${secret}`;

const SIGNATURE = '\n\n— Kindred\n(An automatic message; replies are not read.)';

/** Subject and text of each link's mail. */
function linkMail(purpose: AccountTokenPurpose, link: string, forStaff: boolean): Omit<Mail, 'to'> {
  const hours = LINK_HOURS[purpose];
  const valid = `The link works once, for ${hours} hour${hours === 1 ? '' : 's'}.`;
  switch (purpose) {
    case AccountTokenPurpose.INVITATION:
      return {
        subject: 'You have been invited to Kindred',
        text: `Hello,\n\nYou have been invited to Kindred${forStaff ? ' as a member of staff' : ''}. Choose your password here:\n\n${link}\n\n${valid} If you did not expect this mail, ignore it.${SIGNATURE}`,
      };
    case AccountTokenPurpose.VERIFY_EMAIL:
      return {
        subject: 'Confirm your email address for Kindred',
        text: `Hello,\n\nConfirm that this address is yours to start using your Kindred account:\n\n${link}\n\n${valid} If you did not sign up, ignore this mail: nothing happens without the link.${SIGNATURE}`,
      };
    case AccountTokenPurpose.RESET_PASSWORD:
      return {
        subject: 'Set your Kindred password',
        text: `Hello,\n\nSet a new password for your Kindred account here:\n\n${link}\n\n${valid} If you did not ask for this, ignore this mail: your password stays as it is.${SIGNATURE}`,
      };
    case AccountTokenPurpose.CHANGE_EMAIL:
      return {
        subject: 'Confirm your new Kindred sign-in address',
        text: `Hello,\n\nConfirm that you want to sign in to Kindred with this address from now on:\n\n${link}\n\n${valid} If you did not ask for this, ignore this mail.${SIGNATURE}`,
      };
    case AccountTokenPurpose.MEMBER_SIGN_IN:
      return {
        subject: 'Your Kindred sign-in',
        text: `Hello,\n\nCreate your own Kindred sign-in for this address here:\n\n${link}\n\n${valid} If you did not ask for this, ignore this mail.${SIGNATURE}`,
      };
  }
}

/** Subject and text of each notice. */
const NOTICES = {
  REGISTRATION_ATTEMPT: {
    subject: 'Someone tried to register with your address',
    text: `Hello,\n\nSomeone tried to create a Kindred account with this address, which already has one. If it was you, sign in, or set a new password from the sign-in page. If not, you can ignore this mail: nothing was changed.${SIGNATURE}`,
  },
  EMAIL_CHANGE_REQUESTED: {
    subject: 'Your Kindred sign-in address is being changed',
    text: `Hello,\n\nSomeone signed in to your Kindred account asked to sign in with another address from now on. It changes only once that address confirms it. If it was not you, set a new password from the sign-in page.${SIGNATURE}`,
  },
} as const satisfies Record<string, Omit<Mail, 'to'>>;

export interface AccountMailDependencies {
  orm: MikroORM;
  mailer: Mailer;
  /** Where the admin app is, e.g. https://kindred.example.org. */
  publicUrl: string;
}

/** A link to mail, with the keys that open its address. */
interface LinkRow extends KeyColumns {
  id: string;
  purpose: AccountTokenPurpose;
  token_email: Buffer | null;
  token_key_id: string | null;
  token_wrapped: Buffer | null;
  token_kek_id: string | null;
  account_id: string | null;
  account_email: Buffer | null;
  role: string | null;
}

/** Where a link goes: its own address when it carries one, else its account's; null when the key that opens it is gone. */
function addressOf(row: LinkRow): string | null {
  if (row.token_email) {
    return openTokenEmail({
      id: row.id,
      email: row.token_email,
      key_id: row.token_key_id,
      wrapped: row.token_wrapped,
      kek_id: row.token_kek_id,
    });
  }
  return row.account_id && row.account_email ? openAccountEmail({ ...row, id: row.account_id, email: row.account_email }) : null;
}

/** The task behind every account mail: `{ tokenId }` for a link, `{ accountId, notice }` for a notice. */
export function accountMailTask({ orm, mailer, publicUrl }: AccountMailDependencies): JobTask {
  return async (payload) => {
    const db = pooledSql(orm.em.fork());
    if (typeof payload.tokenId === 'string') {
      const secret = newLinkSecret();
      const [token] = await db.query<LinkRow>(
        sql`with t as (update account_token t set token_hash = ${secretHash(secret)}
                        where t.id = ${payload.tokenId} and t.used_at is null and t.expires_at > now()
                    returning t.id, t.purpose, t.email, t.data_key_id, t.account_id)
            select t.id, t.purpose, t.email as token_email, tk.id as token_key_id, tk.wrapped as token_wrapped, tk.kek_id as token_kek_id,
                   a.id as account_id, a.email as account_email, a.role::text as role, ak.id as key_id, ak.wrapped, ak.kek_id
              from t left join data_key tk on tk.id = t.data_key_id
                     left join account a on a.id = t.account_id left join data_key ak on ak.id = a.data_key_id`,
      );
      const to = token ? addressOf(token) : null;
      if (!token || !to) return; // used, expired, replaced or erased meanwhile: nothing to send
      const link = linkFor(publicUrl, token.purpose, secret);
      await mailer.send({ to, ...linkMail(token.purpose, link, token.role === 'ADMIN' || token.role === 'THERAPIST') });
      return;
    }
    const notice = NOTICES[payload.notice as keyof typeof NOTICES];
    if (typeof payload.accountId !== 'string' || !notice) throw new Error('account-mail: unknown payload');
    const [account] = await db.query<AccountEmailRow>(
      sql`select ${ACCOUNT_EMAIL_ROW} where a.id = ${payload.accountId} and a.disabled_at is null`,
    );
    const to = account ? openAccountEmail(account) : null;
    if (to) await mailer.send({ to, ...notice });
  };
}
