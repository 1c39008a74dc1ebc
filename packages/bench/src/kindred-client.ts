/** Talking to a GraphQL server as a partner app would: one POST per operation. */
import http from 'node:http';
import type { SeatClient } from './storm.js';

export const toGlobalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

// One keep-alive agent for every request: the storm's clients share the machine with the server
// under test, so the load generator must stay lean (`fetch` cost ~0.5 ms of CPU per request here).
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string, token?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** One GraphQL operation; rejects on top-level errors. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const body = JSON.parse(await post(url, JSON.stringify({ query, variables }), token)) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const data = await graphql<{ login: { token: string | null; userErrors: { code: string }[] } }>(
    url,
    'mutation SignIn($input: LoginInput!) { login(input: $input) { token userErrors { code } } }',
    { input: { email, password } },
  );
  if (!data.login.token) throw new Error(`sign-in refused: ${JSON.stringify(data.login.userErrors)}`);
  return data.login.token;
}

type Payload = { reservation: { id: string } | null; userErrors: { code: string }[] };

/** The storm through Kindred's API, as the partner. */
export function kindredSeatClient(url: string, apiKey: string): SeatClient {
  return {
    async reserve(memberId, groupId) {
      const data = await graphql<{ reserveSeat: Payload }>(
        url,
        'mutation Reserve($input: ReserveSeatInput!) { reserveSeat(input: $input) { reservation { id } userErrors { code } } }',
        { input: { groupId: toGlobalId('Group', groupId), memberId: toGlobalId('Member', memberId) } },
        apiKey,
      );
      if (!data.reserveSeat.reservation) throw new Error(data.reserveSeat.userErrors.map((e) => e.code).join());
      return data.reserveSeat.reservation.id;
    },
    async cancel(reservationId) {
      const data = await graphql<{ cancelReservation: Payload }>(
        url,
        'mutation Cancel($input: CancelReservationInput!) { cancelReservation(input: $input) { reservation { id } userErrors { code } } }',
        { input: { reservationId } },
        apiKey,
      );
      if (data.cancelReservation.userErrors.length) throw new Error(data.cancelReservation.userErrors.map((e) => e.code).join());
    },
  };
}

/**
 * A request with no seat work, as the same partner: `viewer { role }` (HTTP, GraphQL and the API
 * key's lookup). Shaped as a seat client so the storm driver runs it the same way.
 */
export function kindredBareClient(url: string, apiKey: string): SeatClient {
  return {
    async reserve() {
      const data = await graphql<{ viewer: { role: string } }>(url, 'query Bare { viewer { role } }', {}, apiKey);
      if (data.viewer.role !== 'PARTNER') throw new Error(`viewer is ${data.viewer.role}`);
      return '';
    },
    async cancel() {},
  };
}
