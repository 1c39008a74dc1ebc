import { Client, fetchExchange, mapExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { cacheConfig } from './cache-config';
import { forbiddenFieldsExchange } from './composables/forbidden-fields';
import { hasCode } from './composables/graphql-errors';
import { expireSession, useSession } from './composables/use-session';

/**
 * The GraphQL client: same-origin /graphql (the API serves this app, or vite proxies to it), the
 * session travels as the httpOnly cookie, and POST JSON only, which Apollo's CSRF prevention
 * requires. Exchanges, in order:
 * 1. session watch — an UNAUTHENTICATED answer while signed in means the session lapsed;
 * 2. the normalised cache (cache-config.ts);
 * 3. FORBIDDEN field recorder, which must see raw network answers (forbidden-fields.ts);
 * 4. fetch.
 */
export function createKindredClient(url = '/graphql'): Client {
  const session = useSession();
  return new Client({
    url,
    preferGetMethod: false,
    fetchOptions: { credentials: 'same-origin' },
    requestPolicy: 'cache-and-network',
    exchanges: [
      mapExchange({
        onResult(result) {
          if (hasCode(result.error, 'UNAUTHENTICATED') && session.isStaff.value) expireSession();
        },
      }),
      cacheExchange(cacheConfig),
      forbiddenFieldsExchange,
      fetchExchange,
    ],
  });
}
