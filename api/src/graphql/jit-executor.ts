/**
 * Compiled execution: Apollo Server parses, validates (with Kindred's limits) and formats as
 * always, and hands the execution of each operation to graphql-jit through Apollo's gateway
 * executor interface. graphql-jit compiles an operation once into a JavaScript function that
 * calls the same resolvers (the same schema object: field policy, audit wrappers and
 * authorisation included) without graphql-js's per-field interpretation; the compiled function is
 * kept per document and operation name (bounded).
 *
 * Why, and what it bought: docs/decisions/0012-compiled-execution.md. `KINDRED_GRAPHQL_JIT=off`
 * runs graphql-js instead (for comparison, and as the way back should a difference appear).
 */
import type { GatewayExecutionResult, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  astFromValue,
  execute,
  type GraphQLInputType,
  type GraphQLSchema,
  getNullableType,
  getVariableValues,
  isInputObjectType,
  isListType,
  type OperationDefinitionNode,
  printSchema,
  typeFromAST,
  valueFromASTUntyped,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** Compiled operations kept per process; past this, the oldest is dropped. */
const MAX_COMPILED = 500;

export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new Map<string, CompiledQuery>();
  let announce: ((schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null = null;

  const compile = (request: GatewayGraphQLRequestContext): CompiledQuery | GatewayExecutionResult => {
    const key = `${request.operationName ?? ''}\0${request.queryHash}`;
    const known = compiled.get(key);
    if (known) return known;
    const made = compileQuery(schema, request.document, request.operationName ?? undefined);
    if (!isCompiledQuery(made)) return made;
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, made);
    return made;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      announce = callback;
      return () => {
        announce = null;
      };
    },
    async load() {
      announce?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return {
        async executor(request) {
          if (!request.operation || request.operation.operation === 'subscription') {
            // No such operation in the document, or a subscription (the schema has none): graphql-js
            // answers with the refusal partners know.
            return execute({
              schema,
              document: request.document,
              operationName: request.request.operationName,
              contextValue: request.context,
              variableValues: request.request.variables,
            });
          }
          const query = compile(request);
          if (!('query' in query)) return query;
          // graphql-js coerces the variables first: its refusals are the ones partners know (and
          // Apollo answers 400 BAD_USER_INPUT for them); graphql-jit then gets valid input only.
          const raw = request.request.variables ?? {};
          const coerced = getVariableValues(schema, request.operation.variableDefinitions ?? [], raw, { maxErrors: 50 });
          if (coerced.errors) return { errors: coerced.errors };
          const variables = withInputDefaults(schema, request.operation, raw);
          return query.query(undefined, request.context, variables) as Promise<GatewayExecutionResult>;
        },
      };
    },
    async stop() {},
  };
}

/**
 * graphql-jit 0.8.9 does not apply the default values of input object fields when it coerces
 * variables (`LoginInput.useCookie: Boolean! = false` would be "not provided"); graphql-js does.
 * This fills them in, in their external form, before graphql-jit coerces — nothing else changes.
 */
function withInputDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  const filled: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (type && filled[name] !== undefined) filled[name] = fillDefaults(type, filled[name]);
  }
  return filled;
}

function fillDefaults(type: GraphQLInputType, value: unknown): unknown {
  const inner = getNullableType(type);
  if (value === null || value === undefined) return value;
  if (isListType(inner))
    return Array.isArray(value) ? value.map((item) => fillDefaults(inner.ofType, item)) : fillDefaults(inner.ofType, value);
  if (!isInputObjectType(inner) || typeof value !== 'object') return value;
  const object: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of Object.values(inner.getFields())) {
    if (object[field.name] === undefined && field.defaultValue !== undefined) {
      const ast = astFromValue(field.defaultValue, field.type);
      if (ast) object[field.name] = valueFromASTUntyped(ast);
    } else if (object[field.name] !== undefined) object[field.name] = fillDefaults(field.type, object[field.name]);
  }
  return object;
}
