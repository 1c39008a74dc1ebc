/** Accounts: people's sign-in (email and password), sessions, who is calling (`viewer`). */
export { AccountEntity, AccountRole, AuthSessionEntity } from './account.entity.js';
export { password } from './account.inputs.js';
export { accountLoaders } from './account.loaders.js';
export { AccountResolver } from './account.resolver.js';
export { createAccount, startSession } from './account.service.js';
export { Admin, Viewer } from './account.types.js';
export { AdminResolver } from './admin.resolver.js';
export { authenticate } from './authenticate.js';
