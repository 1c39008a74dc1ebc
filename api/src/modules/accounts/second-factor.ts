/**
 * Staff sign in with a second factor (docs/personal-identifiers.md, "Trust model"): a TOTP
 * authenticator (otplib; 30-second codes, one step of clock drift either way, never the same step
 * twice) and ten single-use recovery codes. `KINDRED_STAFF_MFA=required` (the production
 * default) makes every admin and therapist set one up at their next sign-in; `optional` (the
 * demo) offers it. Setup, codes and removal are only ever the account's own: no call reads or
 * changes another account's second factor.
 */
import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateSecret, generateURI, verify } from 'otplib';
import { secretHash, verifyPassword } from '../../authz/credentials.js';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { refuse, UserErrorCode, validateInput } from '../../graphql/user-errors.js';
import { AccountEntity, AccountRole, RecoveryCodeEntity } from './account.entity.js';
import { accountEmail, setTotpSecret, totpSecretOf } from './account-crypto.js';
import { type OneTimeCodeInput, oneTimeCodeSchema, type RemoveSecondFactorInput, removeSecondFactorSchema } from './account.inputs.js';

const ISSUER = 'Kindred';
/** One 30-second step either side, for clocks that drift. */
const DRIFT_SECONDS = 30;
const RECOVERY_CODES = 10;
/** Unambiguous letters and digits (no 0/o, 1/l/i). */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export const isStaff = (account: Pick<AccountEntity, 'role'>) =>
  account.role === AccountRole.ADMIN || account.role === AccountRole.THERAPIST;

/** The TOTP step `code` is valid for under `secret`, if it is valid and newer than `afterStep`. */
async function totpStep(secret: string, code: string, afterStep: number | null | undefined): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epochTolerance: DRIFT_SECONDS,
    ...(afterStep != null ? { afterTimeStep: Number(afterStep) } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Checks a code for an account with a second factor, and spends it: a TOTP step is remembered so
 * it cannot be replayed, a recovery code is marked used. Call inside the caller's transaction.
 */
export async function spendOneTimeCode(em: EntityManager, account: AccountEntity, code: string): Promise<boolean> {
  const secret = await totpSecretOf(em, account, 'totpSecret');
  if (secret) {
    const step = await totpStep(secret, code.trim(), account.totpLastStep);
    if (step !== null) {
      account.totpLastStep = step;
      return true;
    }
  }
  const recovery = await em.findOne(RecoveryCodeEntity, {
    account: account.id,
    codeHash: secretHash(normaliseRecoveryCode(code)),
    usedAt: null,
  });
  if (!recovery) return false;
  recovery.usedAt = new Date();
  return true;
}

/** A fresh set of recovery codes (`xxxxx-xxxxx`); earlier unused ones stop working. */
async function newRecoveryCodes(em: EntityManager, account: AccountEntity): Promise<string[]> {
  await em.nativeUpdate(RecoveryCodeEntity, { account: account.id, usedAt: null }, { usedAt: new Date() });
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  for (const code of codes) em.create(RecoveryCodeEntity, { account, codeHash: secretHash(normaliseRecoveryCode(code)) });
  return codes;
}

/** Starts (or continues) a setup: the pending secret, kept until a code confirms it. */
export async function pendingSetup(em: EntityManager, account: AccountEntity): Promise<{ secret: string; uri: string }> {
  let secret = await totpSecretOf(em, account, 'totpPendingSecret');
  if (!secret) {
    secret = generateSecret();
    await setTotpSecret(em, account, 'totpPendingSecret', secret);
  }
  return { secret, uri: generateURI({ issuer: ISSUER, label: await accountEmail(em, account), secret }) };
}

/** Confirms a pending setup with its first code; returns the recovery codes, or null when the code is wrong. */
export async function completeSetup(em: EntityManager, account: AccountEntity, code: string): Promise<string[] | null> {
  const pending = await totpSecretOf(em, account, 'totpPendingSecret');
  if (!pending) return null;
  const step = await totpStep(pending, code.trim(), null);
  if (step === null) return null;
  await setTotpSecret(em, account, 'totpSecret', pending);
  account.totpPendingSecret = null;
  account.totpEnabledAt = new Date();
  account.totpLastStep = step;
  return newRecoveryCodes(em, account);
}

/** Attempts at codes are throttled per account, like sign-in attempts per address. */
const codeAttempts = (ctx: Context) => [`second-factor:${'accountId' in ctx.viewer ? ctx.viewer.accountId : ctx.clientIp}`];

/** The signed-in staff account (refused for anyone else). */
async function ownStaffAccount(ctx: Context, em: EntityManager): Promise<AccountEntity> {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'ADMIN' && viewer.kind !== 'THERAPIST') throw forbidden('Only staff accounts use a second factor.');
  return em.findOneOrFail(AccountEntity, viewer.accountId);
}

/** `beginSecondFactorSetup`: the secret to add to an authenticator app. */
export async function beginSecondFactorSetup(ctx: Context): Promise<{ secondFactorSetup: { secret: string; uri: string } }> {
  return ctx.em.transactional(async (em) => {
    const account = await ownStaffAccount(ctx, em);
    if (account.totpEnabledAt)
      refuse(UserErrorCode.INVALID_STATE, null, 'Your second factor is already set up; remove it first to use another authenticator.');
    return { secondFactorSetup: await pendingSetup(em, account) };
  });
}

/** `confirmSecondFactorSetup`: the first code turns the second factor on; answers the recovery codes. */
export async function confirmSecondFactorSetup(ctx: Context, input: OneTimeCodeInput): Promise<{ recoveryCodes: string[] }> {
  const data = validateInput(oneTimeCodeSchema, input);
  await ctx.attempts.consume(codeAttempts(ctx));
  return ctx.em.transactional(async (em) => {
    const account = await ownStaffAccount(ctx, em);
    if (account.totpEnabledAt) refuse(UserErrorCode.INVALID_STATE, null, 'Your second factor is already set up.');
    const codes = await completeSetup(em, account, data.oneTimeCode);
    if (!codes)
      refuse(
        UserErrorCode.INVALID_ONE_TIME_CODE,
        ['input', 'oneTimeCode'],
        'This code is not right. Check the time on your phone and try the next code.',
      );
    return { recoveryCodes: codes! };
  });
}

/** `regenerateRecoveryCodes`: new recovery codes, with a current code. */
export async function regenerateRecoveryCodes(ctx: Context, input: OneTimeCodeInput): Promise<{ recoveryCodes: string[] }> {
  const data = validateInput(oneTimeCodeSchema, input);
  await ctx.attempts.consume(codeAttempts(ctx));
  return ctx.em.transactional(async (em) => {
    const account = await ownStaffAccount(ctx, em);
    if (!account.totpEnabledAt) refuse(UserErrorCode.INVALID_STATE, null, 'Set up your second factor first.');
    if (!(await spendOneTimeCode(em, account, data.oneTimeCode)))
      refuse(UserErrorCode.INVALID_ONE_TIME_CODE, ['input', 'oneTimeCode'], 'This code is not right.');
    return { recoveryCodes: await newRecoveryCodes(em, account) };
  });
}

/** `removeSecondFactor`: only where the installation does not require one, with the password and a code. */
export async function removeSecondFactor(ctx: Context, input: RemoveSecondFactorInput): Promise<{ done: boolean }> {
  const data = validateInput(removeSecondFactorSchema, input);
  await ctx.attempts.consume(codeAttempts(ctx));
  return ctx.em.transactional(async (em) => {
    const account = await ownStaffAccount(ctx, em);
    if (ctx.staffSecondFactor === 'required')
      refuse(UserErrorCode.INVALID_STATE, null, 'Staff must use a second factor on this installation.');
    if (!account.totpEnabledAt) refuse(UserErrorCode.INVALID_STATE, null, 'You have no second factor set up.');
    if (!(await verifyPassword(account.passwordHash ?? null, data.password))) {
      refuse(UserErrorCode.INVALID_CREDENTIALS, ['input', 'password'], 'The password is not correct.');
    }
    if (!(await spendOneTimeCode(em, account, data.oneTimeCode)))
      refuse(UserErrorCode.INVALID_ONE_TIME_CODE, ['input', 'oneTimeCode'], 'This code is not right.');
    account.totpSecret = null;
    account.totpPendingSecret = null;
    account.totpEnabledAt = null;
    await em.nativeUpdate(RecoveryCodeEntity, { account: account.id, usedAt: null }, { usedAt: new Date() });
    return { done: true };
  });
}

/** A staff account's second factor as `viewer.secondFactor` shows it. */
export async function secondFactorStatus(ctx: Context, accountId: string) {
  const account = await ctx.em.findOneOrFail(AccountEntity, accountId);
  const recoveryCodesLeft = account.totpEnabledAt ? await ctx.em.count(RecoveryCodeEntity, { account: accountId, usedAt: null }) : 0;
  return { enabled: !!account.totpEnabledAt, required: ctx.staffSecondFactor === 'required', recoveryCodesLeft };
}
