import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCode } from '../../graphql/errors.js';
import { safeErrorFields } from '../../graphql/format-error.js';
import { requestFields } from '../../logging/logger.js';

/** What a request Fastify refuses before GraphQL sees it gets: fixed messages that never quote the body. */
const HTTP_REFUSALS: Record<string, { reason: string; message: string }> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: { reason: 'EMPTY_BODY', message: 'The request body is empty; send a JSON GraphQL request.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { reason: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { reason: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1 MB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { reason: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request as application/json.' },
};

export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. It has been logged; please try again.';

/**
 * Errors of the HTTP layer (body parsing, rate limit) in GraphQL's shape and the closed set of
 * codes, as partners expect from any answer of /graphql — never Fastify's own `FST_ERR_*` body.
 */
function httpErrorHandler(
  this: FastifyInstance,
  error: { statusCode?: number; code?: string; errors?: unknown },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status === 429 && Array.isArray(error.errors)) return reply.code(429).send({ errors: error.errors });
  if (status >= 400 && status < 500) {
    const refusal = HTTP_REFUSALS[error.code ?? ''] ?? { reason: 'BAD_REQUEST', message: 'This request is malformed.' };
    return reply
      .code(status)
      .send({ errors: [{ message: refusal.message, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: refusal.reason } }] });
  }
  request.log.error({ err: safeErrorFields(error) }, 'unexpected error in the HTTP layer');
  return reply.code(500).send({ errors: [{ message: INTERNAL_ERROR_MESSAGE, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
}

/**
 * An unknown route, in GraphQL's shape. Fastify's own 404 repeats the whole URL, query string
 * included — which could carry anything a client put there.
 */
export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ errors: [{ message: 'Not found.', extensions: { code: ErrorCode.NOT_FOUND } }] });
}

export interface HttpOptions {
  logger: Logger;
  /** Behind a load balancer: take the client address from X-Forwarded-For. */
  trustProxy?: boolean;
}

export interface HttpServer {
  app: FastifyInstance;
  /** From now on, new requests are refused with 503 and answers close their connection. */
  beginClosing(): void;
}

/**
 * The Fastify instance every part registers on: one log line per request (fixed fields, never
 * a header, URL or body), errors in GraphQL's shape, cookies, and a graceful close that refuses
 * new requests while in-flight ones finish.
 */
export async function createHttpServer(options: HttpOptions): Promise<HttpServer> {
  const { logger } = options;
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: false,
    genReqId: () => randomUUID(),
    // One line per request (below), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // Built from fixed fields, so it skips the redaction pass — which was most of the cost of
  // logging a request (packages/bench storm profile).
  const asIs = (value: unknown) => value;
  const requestLog = logger.child({}, { redact: [], serializers: { req: asIs, res: asIs } });
  app.addHook('onResponse', async (request, reply) => {
    requestLog.info(
      { reqId: request.id, req: requestFields(request), res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
      'request completed',
    );
  });
  app.setErrorHandler(httpErrorHandler);
  await app.register(cookie);

  let closing = false;
  // Once closing, answers close their connection: a kept-alive socket that was busy when the
  // server began to close would otherwise hold the process open until the drain timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  // Requests arriving while closing are refused in GraphQL's shape (Fastify's own 503 is off):
  // nothing of theirs ran, so a client can safely retry them on another instance.
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    return reply
      .code(503)
      .header('retry-after', '1')
      .send({
        errors: [
          {
            message: 'This server is shutting down; nothing was done. Retry the request.',
            extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reason: 'SHUTTING_DOWN' },
          },
        ],
      });
  });
  return {
    app,
    beginClosing() {
      closing = true;
    },
  };
}
