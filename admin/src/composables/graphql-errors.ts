import type { CombinedError } from '@urql/core';
import type { GraphQLError } from 'graphql';

/** The top-level error codes the API documents (README, "Errors"). */
export type ApiErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'INTERNAL_SERVER_ERROR';

export function codeOf(error: Pick<GraphQLError, 'extensions'>): string | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A FORBIDDEN error scoped to one field of an answer that otherwise arrived (a personal
 * identifier for an admin, another therapist's roster): the page shows the rest, and the
 * field shows why it is empty. It is not a page error.
 */
function isFieldForbidden(error: GraphQLError): boolean {
  return codeOf(error) === 'FORBIDDEN' && Array.isArray(error.path) && error.path.length > 1;
}

export function hasCode(error: CombinedError | null | undefined, code: ApiErrorCode): boolean {
  return !!error?.graphQLErrors.some((e) => codeOf(e) === code);
}

const messages: Record<ApiErrorCode, string> = {
  UNAUTHENTICATED: 'Your session has expired. Please sign in again.',
  FORBIDDEN: 'You are not allowed to see or do this.',
  NOT_FOUND: 'Not found, or not visible to you.',
  BAD_USER_INPUT: 'The request was not valid.',
  RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
};

/** A message for a person, from one GraphQL error (the API's messages never carry identifiers). */
export function describeGraphQLError(error: GraphQLError): string {
  const code = codeOf(error) as ApiErrorCode | undefined;
  if (code === 'RATE_LIMITED' || code === 'BAD_USER_INPUT' || code === 'NOT_FOUND') return error.message || messages[code];
  return (code && messages[code]) || error.message || messages.INTERNAL_SERVER_ERROR;
}

/**
 * What a page should say about a query error, or null when there is nothing to say: field-scoped
 * FORBIDDEN errors are left to the fields (IdentifierCell) as long as data came back.
 */
export function pageErrorMessage(error: CombinedError | null | undefined, hasData: boolean): string | null {
  if (!error) return null;
  if (error.networkError) {
    return 'Kindred could not be reached. Check your connection and try again.';
  }
  const blocking = error.graphQLErrors.filter((e) => !(hasData && isFieldForbidden(e)));
  if (blocking.length === 0) return null;
  return [...new Set(blocking.map(describeGraphQLError))].join(' ');
}
