/** Talking to a GraphQL server as a partner app would: one POST per operation. */
import type { SeatClient } from './storm.js';

export const toGlobalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
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
