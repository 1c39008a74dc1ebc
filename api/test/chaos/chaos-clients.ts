/**
 * The chaos test's clients and their ledger. Each client acts for its own members (a member for
 * itself with its session, a partner for the members it referred with its API key), so every
 * (member, group) pair has one client and its operations are sequential: reserve, cancel, reserve…
 *
 * Every operation carries a fresh idempotency key, and the client retries it with the SAME key —
 * on the next process, with backoff — after a connection error, a 5xx or a GraphQL error, until it
 * gets an answer: what the API answered is what the client was acknowledged, and the ledger keeps
 * it. Errors seen on the way are counted by code, and any that is not clean (a stack trace, a
 * code outside the closed set) is kept as it came.
 */
import { CANCEL_RESERVATION, RESERVE_SEAT, type Ref } from '../support/seat-fixture.js';
import { type ApiProcesses, ConnectionError, type HttpAnswer } from '../support/api-processes.js';

/** Who sends the requests: a member for itself, or a partner for the members it referred. */
export interface ChaosActor {
  label: string;
  token: string;
  /** Members it acts for; a member actor acts only for itself (no `memberId` in its input). */
  members: Ref[];
  self: boolean;
}

/** An operation the API acknowledged. */
export interface Acknowledged {
  kind: 'reserve' | 'cancel';
  memberId: string;
  groupId: string;
  idempotencyKey: string;
  /** Global id of the reservation the answer named. */
  reservationId: string;
  status: string;
  attempts: number;
}

export interface Ledger {
  acknowledged: Acknowledged[];
  /** Answers with user errors: with one client per pair, each means the model and the API disagree. */
  refusals: unknown[];
  /** HTTP requests sent, including retries. */
  requests: number;
  retries: number;
  /** Why a request got no usable answer, by code (`connection:ECONNREFUSED`, `INTERNAL_SERVER_ERROR`…). */
  errors: Record<string, number>;
  /** Error answers that were not clean: a stack trace in the body, or no code of the closed set. */
  unclean: string[];
  /** The longest any one request waited for its answer or connection error (ms). */
  slowestMs: number;
}

export const newLedger = (): Ledger => ({
  acknowledged: [],
  refusals: [],
  requests: 0,
  retries: 0,
  errors: {},
  unclean: [],
  slowestMs: 0,
});

/** Codes an answer may carry while a process or the database is away (docs/graphql-conventions.md). */
const CLEAN_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);
/** Give up on one operation after this long without an answer: the test then fails, naming it. */
const GIVE_UP_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Payload {
  reservation: { id: string; status: string } | null;
  userErrors: unknown[];
}

let cursor = 0;

/** Sends one operation until an answer with its payload comes back, retrying with the same input. */
async function untilAnswered(
  api: ApiProcesses,
  ledger: Ledger,
  query: string,
  field: 'reserveSeat' | 'cancelReservation',
  input: Record<string, unknown>,
  token: string,
): Promise<{ payload: Payload; attempts: number }> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    ledger.requests++;
    const sentAt = Date.now();
    let reason: string;
    try {
      const answer: HttpAnswer = await api.at(cursor++).gql(query, { variables: { input }, token });
      const payload = answer.body?.data?.[field] as Payload | undefined;
      if (answer.status === 200 && payload && !answer.body.errors) return { payload, attempts: attempt };
      reason = codeOfAnswer(answer, ledger);
    } catch (error) {
      if (!(error instanceof ConnectionError)) throw error;
      reason = `connection:${error.code}`;
    } finally {
      ledger.slowestMs = Math.max(ledger.slowestMs, Date.now() - sentAt);
    }
    ledger.errors[reason] = (ledger.errors[reason] ?? 0) + 1;
    if (Date.now() - started > GIVE_UP_MS) throw new Error(`${field} ${JSON.stringify(input)} got no answer in ${GIVE_UP_MS} ms`);
    ledger.retries++;
    await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}

/** The code of an error answer; an answer that is not clean is also kept whole in the ledger. */
function codeOfAnswer(answer: HttpAnswer, ledger: Ledger): string {
  const errors = (answer.body?.errors ?? []) as { extensions?: { code?: string } }[];
  const codes = errors.map((e) => e.extensions?.code ?? 'none');
  const clean = codes.length > 0 && codes.every((code) => CLEAN_CODES.has(code)) && !/\n\s+at /.test(answer.text);
  if (!clean) ledger.unclean.push(`${answer.status} ${answer.text.slice(0, 500)}`);
  return `${answer.status} ${codes.join(',') || 'no errors'}`;
}

/**
 * One client: picks one of its members and a group (the hot group half the time), cancels the
 * pair's active reservation if it has one and reserves otherwise, until `stopping()`; the
 * operation in hand is always finished.
 */
export async function runClient(api: ApiProcesses, actor: ChaosActor, groups: Ref[], ledger: Ledger, stopping: () => boolean) {
  const active = new Map<string, string>();
  for (let n = 0; !stopping(); n++) {
    const member = actor.members[Math.floor(Math.random() * actor.members.length)]!;
    const group = Math.random() < 0.5 ? groups[0]! : groups[Math.floor(Math.random() * groups.length)]!;
    const pair = `${member.id}/${group.id}`;
    const idempotencyKey = `${actor.label}-${n}`;
    const current = active.get(pair);
    const input = current
      ? { reservationId: current, idempotencyKey }
      : { groupId: group.globalId, idempotencyKey, ...(actor.self ? {} : { memberId: member.globalId }) };
    const kind = current ? 'cancel' : 'reserve';
    const { payload, attempts } = await untilAnswered(
      api,
      ledger,
      current ? CANCEL_RESERVATION : RESERVE_SEAT,
      current ? 'cancelReservation' : 'reserveSeat',
      input,
      actor.token,
    );
    if (payload.userErrors.length > 0 || !payload.reservation) {
      ledger.refusals.push({ actor: actor.label, kind, input, userErrors: payload.userErrors });
      active.delete(pair);
    } else {
      const { id, status } = payload.reservation;
      ledger.acknowledged.push({ kind, memberId: member.id, groupId: group.id, idempotencyKey, reservationId: id, status, attempts });
      if (current) active.delete(pair);
      else active.set(pair, id);
    }
    await sleep(20 + Math.random() * 80);
  }
}
