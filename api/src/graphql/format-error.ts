import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, KindredError, TOP_LEVEL_CODES } from './errors.js';

/** Apollo's own request-level codes, all of which mean "the request itself is wrong". */
const REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * What of an unexpected error may be logged: its class, SQLSTATE and constraint — never its
 * message or detail, which for a database error can quote the row (and so an identifier).
 */
export function safeErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; constraint?: unknown; table?: unknown; originalError?: unknown };
  const origin = e.originalError instanceof Error ? e.originalError : e;
  const o = origin as Error & { code?: unknown; constraint?: unknown; table?: unknown };
  return {
    name: o.name,
    sqlState: typeof o.code === 'string' ? o.code : undefined,
    constraint: o.constraint,
    table: o.table,
    frames: o.stack
      ?.split('\n')
      .slice(1, 8)
      .map((l) => l.trim()),
  };
}

/**
 * Narrows every error to the closed set of codes (DESIGN.md): Apollo's request codes become
 * BAD_USER_INPUT (the original kept as `reason`); anything unexpected becomes an opaque
 * INTERNAL_SERVER_ERROR and is logged without its message.
 */
export function formatErrorWith(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    // INTERNAL_SERVER_ERROR is also what Apollo stamps on any unknown error: keep its message
    // only when Kindred raised it on purpose.
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    const deliberate = original instanceof KindredError || code !== ErrorCode.INTERNAL_SERVER_ERROR;
    if (deliberate && typeof code === 'string' && TOP_LEVEL_CODES.has(code)) {
      const reason = formatted.extensions?.reason;
      return { ...base, extensions: reason ? { code, reason } : { code } };
    }
    if (typeof code === 'string' && REQUEST_CODES.has(code)) {
      return { ...base, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code } };
    }
    logger.error({ err: safeErrorFields(error), path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Something went wrong on our side. It has been logged; please try again.',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
