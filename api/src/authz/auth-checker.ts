import type { AuthChecker } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { forbidden, unauthenticated } from '../graphql/errors.js';
import type { ViewerKind } from './viewer.js';

/**
 * Operation-level rules: every resolver carries `@Authorized(...kinds)` naming who may call it
 * (no kinds = any signed-in caller). Anonymous callers get UNAUTHENTICATED, others FORBIDDEN.
 * Finer rules (a partner's own members, a therapist's own groups) live in the services.
 */
export const authChecker: AuthChecker<Context, ViewerKind> = ({ context }, kinds) => {
  const { kind } = context.viewer;
  if (kind === 'ANONYMOUS' && !kinds.includes('ANONYMOUS')) throw unauthenticated();
  if (kinds.length > 0 && !kinds.includes(kind)) throw forbidden();
  return true;
};
