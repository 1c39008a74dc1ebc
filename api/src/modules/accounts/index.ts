/** Accounts: people's sign-in (email and password), sessions, who is calling (`viewer`). */
export { AccountEntity, AccountRole, AuthSessionEntity } from './account.entity.js';
export { password } from './account.inputs.js';
export { AccountResolver } from './account.resolver.js';
export { createAccount, startSession } from './account.service.js';
export { Viewer } from './account.types.js';
export { authenticate } from './authenticate.js';
