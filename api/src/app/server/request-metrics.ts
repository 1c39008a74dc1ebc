import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../../graphql/context.js';
import { ErrorCode } from '../../graphql/errors.js';
import { INVALID_OPERATION, NO_OPERATION, operationLabel, textLabeller } from '../../metrics/operation-label.js';
import { observeRequest, type RequestOutcome } from '../../metrics/series.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What GraphQL made of this request, for `kindred_graphql_request_duration_seconds`. */
    graphqlMetrics?: { operation: string; outcome?: RequestOutcome };
  }
}

/** The Apollo side of request metrics: a plugin, and the link from a request's context back to its HTTP request. */
export interface RequestMetrics {
  plugin: ApolloServerPlugin<Context>;
  linkContext(context: Context, request: FastifyRequest): void;
}

const outcomeOfStatus = (status: number): RequestOutcome => (status >= 500 ? 'error' : status >= 400 ? 'client_error' : 'ok');

/** A server failure (5xx, or INTERNAL_SERVER_ERROR anywhere in the answer), else errors the client caused, else ok. */
function outcomeOf(response: GraphQLResponse): RequestOutcome {
  const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
  const byStatus = outcomeOfStatus(response.http.status ?? 200);
  if (byStatus === 'error' || errors.some((error) => error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR)) return 'error';
  return errors.length > 0 ? 'client_error' : byStatus;
}

/**
 * Times every answer of /graphql into `kindred_graphql_request_duration_seconds`, from the
 * request's arrival to the answer sent. The operation label is the root field Apollo resolved
 * (metrics/operation-label.ts); an answer served by the public cache is labelled from its query
 * text; a request refused before GraphQL is `none`. Register before the /graphql route.
 */
export function registerRequestMetrics(app: FastifyInstance, schema: GraphQLSchema): RequestMetrics {
  // Keyed by the context's `operation` record: Apollo hands plugins a shallow copy of the
  // context, whose nested objects are still the request's own.
  const requests = new WeakMap<Context['operation'], FastifyRequest>();
  const labelOfText = textLabeller(schema);

  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return;
    const seconds = reply.elapsedTime / 1000;
    const record = request.graphqlMetrics;
    if (record?.outcome) return observeRequest(record.operation, record.outcome, seconds);
    if (reply.getHeader('x-kindred-cache') === 'hit') {
      const body = request.body as { query?: unknown; operationName?: unknown };
      return observeRequest(labelOfText(body.query, body.operationName), 'ok', seconds);
    }
    observeRequest(record?.operation ?? NO_OPERATION, outcomeOfStatus(reply.statusCode), seconds);
  });

  return {
    linkContext: (context, request) => requests.set(context.operation, request),
    plugin: {
      async requestDidStart({ contextValue }) {
        const request = requests.get(contextValue.operation);
        if (!request) return;
        const record: { operation: string; outcome?: RequestOutcome } = { operation: INVALID_OPERATION };
        request.graphqlMetrics = record;
        return {
          async didResolveOperation({ document, request: graphqlRequest }) {
            record.operation = operationLabel(schema, document, graphqlRequest.operationName);
          },
          async willSendResponse({ response }) {
            record.outcome = outcomeOf(response);
          },
        };
      },
    },
  };
}
