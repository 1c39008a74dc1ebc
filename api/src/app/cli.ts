/**
 * Operator commands, run on the server by someone who has access to it — never through the API.
 *
 *   pnpm kindred admin:create --email <address>
 *   pnpm kindred keys:generate
 *   pnpm kindred keys:rotate
 *
 * `keys:generate` prints a new random key (for KINDRED_KEK or KINDRED_BLIND_INDEX_KEY).
 * `keys:rotate` re-wraps every data key under the current KINDRED_KEK, reading the old ones with
 * KINDRED_KEK_PREVIOUS; the API keeps running meanwhile (docs/encryption.md, "Rotating the KEK").
 *
 * Creates an admin account (approved: the operator is the installation's root of trust; the
 * first admin has no second admin to approve it) and prints its invitation link, from which the
 * person chooses its own password. Every later admin is invited and approved through the API.
 * The command is recorded in the staff action log (actor OPERATOR). It uses the database the
 * server uses (DATABASE_URL, or the embedded one: then run it while Kindred is stopped) and
 * PUBLIC_URL for the link.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { resolveDatabase } from '@kindred/embedded-db';
import { recordOperatorAction } from '../authz/staff-actions.js';
import { emailIndex } from '@kindred/crypto';
import { rewrapDataKeys } from '../crypto/data-keys.js';
import { generateKey } from '@kindred/crypto';
import { sqlOf } from '../db/sql.js';
import { email as emailSchema } from '../graphql/validators.js';
import {
  AccountRole,
  AccountTokenPurpose,
  activeAccountOf,
  issueLinkSecret,
  linkFor,
  lockEmail,
  newAccount,
  newLinkSecret,
} from '../modules/accounts/index.js';
import { loadKeys } from './keys.js';
import { migrate, openOrm } from './orm.js';

const USAGE = 'usage: pnpm kindred admin:create --email <address> | keys:generate | keys:rotate';

async function createAdmin(address: string): Promise<string> {
  const parsed = emailSchema.safeParse(address);
  if (!parsed.success) throw new Error(`not a valid email address: ${address}`);
  const db = await resolveDatabase();
  const orm = await openOrm(db.url, 2);
  try {
    await migrate(orm);
    const secret = newLinkSecret();
    await orm.em.fork().transactional(async (em) => {
      await lockEmail(em, emailIndex(parsed.data));
      if (await activeAccountOf(em, emailIndex(parsed.data))) throw new Error('an account already signs in with this address');
      const account = await newAccount(em, { email: parsed.data, role: AccountRole.ADMIN });
      account.approvedAt = new Date();
      await issueLinkSecret(em, AccountTokenPurpose.INVITATION, account, secret);
      await recordOperatorAction(await sqlOf(em), 'admin:create', { type: 'Admin', id: account.id });
    });
    return linkFor(process.env.PUBLIC_URL ?? 'http://127.0.0.1:4000', AccountTokenPurpose.INVITATION, secret);
  } finally {
    await orm.close();
    await db.stop();
  }
}

/** Re-wraps every data key under the current KEK. */
async function rotateKeys(): Promise<number> {
  const db = await resolveDatabase();
  const orm = await openOrm(db.url, 2);
  try {
    await migrate(orm);
    return await rewrapDataKeys((work) => orm.em.fork().transactional(async (em) => work(await sqlOf(em))));
  } finally {
    await orm.close();
    await db.stop();
  }
}

const { positionals, values } = parseArgs({ allowPositionals: true, options: { email: { type: 'string' } } });
try {
  if (positionals[0] === 'keys:generate') {
    process.stdout.write(`${generateKey()}\n`);
  } else if (positionals[0] === 'keys:rotate') {
    loadKeys(process.env.NODE_ENV === 'production');
    const count = await rotateKeys();
    process.stdout.write(`Re-wrapped ${count} data key${count === 1 ? '' : 's'} under the current KINDRED_KEK.\n`);
  } else if (positionals[0] === 'admin:create' && values.email) {
    loadKeys(process.env.NODE_ENV === 'production');
    const link = await createAdmin(values.email);
    process.stdout.write(
      `Admin account created for ${values.email}. Send this invitation link to that person (it works once, for 72 hours);\n` +
        `they choose their own password from it:\n\n  ${link}\n`,
    );
  } else {
    throw new Error(USAGE);
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
