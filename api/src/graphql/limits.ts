import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type DocumentNode, GraphQLError, visit } from 'graphql';
import { ErrorCode } from './errors.js';

/**
 * Bounds checked before execution (graphql-armor): depth, aliases, directives, tokens and a
 * computed cost. Field suggestions ("Did you mean …?") are blocked outside development.
 * The figures fit the deepest query the admin app sends with room to spare.
 */
const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxDirectives: 10, maxTokens: 3000, maxCost: 100_000 };

export function queryLimits(production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ignoreIntrospection: true, exposeLimits: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases, exposeLimits: true },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, exposeLimits: true },
    // armor's token limit parses in a plugin hook, where a syntax error becomes an HTTP 500;
    // graphql-js's own `maxTokens` parse option (below) fails as an ordinary parse error (400).
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, exposeLimits: true, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return { ...armor, plugins: [...armor.plugins, refuseNulCharacters], parseOptions: { maxTokens: QUERY_LIMITS.maxTokens } };
}

/** Whether a JSON value holds U+0000 in a string or key (iterative: variables may nest deeply). */
function holdsNul(root: unknown): boolean {
  const stack = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/** Per parsed document: Apollo reuses the same DocumentNode for a repeated query, so each is walked once. */
const nulInDocument = new WeakMap<DocumentNode, boolean>();

function documentHoldsNul(document: DocumentNode | undefined): boolean {
  if (!document) return false;
  let found = nulInDocument.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      StringValue(node) {
        if (node.value.includes('\u0000')) found = true;
      },
    });
    nulInDocument.set(document, found);
  }
  return found;
}

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying it would fail in SQL as an internal
 * error: such a request is refused whole, before any resolver runs, as BAD_USER_INPUT.
 */
const refuseNulCharacters: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        if (holdsNul(request.variables) || documentHoldsNul(document)) {
          throw new GraphQLError('Text cannot contain the NUL character (U+0000).', {
            extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_CHARACTER', http: { status: 400 } },
          });
        }
      },
    };
  },
};
