/**
 * Accounts: people's sign-in (email and password) and sessions, who is calling (`viewer`), staff
 * invitations and approvals, and the emailed links that let only a person set its own credentials.
 */
export {
  AccountEntity,
  AccountRole,
  AccountTokenEntity,
  AccountTokenPurpose,
  AuthSessionEntity,
  RecoveryCodeEntity,
} from './account.entity.js';
export { password } from './account.inputs.js';
export { accountLoaders } from './account.loaders.js';
export { sealedAccountFields, tokenEmail } from './account-crypto.js';
export { accountMailTask, linkFor, newLinkSecret } from './account.mail.js';
export { AccountResolver } from './account.resolver.js';
export { activeAccountOf, lockEmail, newAccount } from './account.service.js';
export { ACCOUNT_MAIL_TASK, issueLink, issueLinkSecret, queueNotice, redeemLink } from './account-tokens.js';
export { Admin, StaffAccountStatus, Viewer } from './account.types.js';
export { AdminResolver, staffStatusOf } from './admin.resolver.js';
export { authenticate } from './authenticate.js';
export { SignInResolver } from './second-factor.resolver.js';
export { approveStaff, inviteStaff } from './staff.service.js';
