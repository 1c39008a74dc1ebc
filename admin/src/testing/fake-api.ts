import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { cacheConfig } from '@/cache-config';
import { forbiddenFieldsExchange } from '@/composables/forbidden-fields';

export interface FakeRequest {
  operationName: string | undefined;
  query: string;
  variables: Record<string, any>;
  method: string;
}

export type FakeResponder = (
  request: FakeRequest,
) => { data?: unknown; errors?: unknown[] } | Promise<{ data?: unknown; errors?: unknown[] }>;

/**
 * A real urql client (the app's cache and exchanges) whose `fetch` answers from `respond`, so
 * tests exercise the same path as the browser without a server. Records every request.
 */
export function fakeClient(respond: FakeResponder) {
  const requests: FakeRequest[] = [];
  const client = new Client({
    url: 'http://kindred.test/graphql',
    preferGetMethod: false,
    exchanges: [cacheExchange(cacheConfig), forbiddenFieldsExchange, fetchExchange],
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init?.body ?? '{}'));
      const request: FakeRequest = {
        operationName: body.operationName,
        query: body.query,
        variables: body.variables ?? {},
        method: init?.method ?? 'GET',
      };
      requests.push(request);
      const answer = await respond(request);
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  return { client, requests };
}

/** Waits until `check` passes (polling), for results that arrive through promises and timers. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
