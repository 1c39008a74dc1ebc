import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Bounds checked before execution (graphql-armor): depth, aliases, directives, tokens and a
 * computed cost. Field suggestions ("Did you mean …?") are blocked outside development.
 * The figures fit the deepest query the admin app sends with room to spare.
 */
export const QUERY_LIMITS = { maxDepth: 10, maxAliases: 15, maxDirectives: 10, maxTokens: 3000, maxCost: 100_000 };

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
  return { ...armor, parseOptions: { maxTokens: QUERY_LIMITS.maxTokens } };
}
