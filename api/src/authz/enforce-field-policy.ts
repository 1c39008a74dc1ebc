import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { Context } from '../graphql/context.js';
import { forbidden } from '../graphql/errors.js';
import { type FieldRule, fieldPolicy } from './field-policy.js';
import { canReadIdentifiers, isSelf } from './rules.js';

/**
 * The one enforcement point of the field policy. It wraps the resolver of every `identifier`
 * field so that it (1) checks `canReadIdentifiers` before anything is loaded, (2) resolves the
 * value, (3) writes the audit row (batched per request) and only then returns the value. If
 * the audit cannot be written the field errors and the value is not returned. It wraps every
 * `selfOnly` field so that it checks `isSelf` before anything is loaded (no audit row: such a
 * field holds no identifier).
 *
 * Fails at start-up when the table names a field the schema does not have.
 */
export function enforceFieldPolicy(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(fieldPolicy)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`field-policy: ${typeName} is not an object type in the schema`);
    const schemaFields = type.getFields();
    for (const [fieldName, rule] of Object.entries(fields) as [string, FieldRule<unknown>][]) {
      const field = schemaFields[fieldName];
      if (!field) throw new Error(`field-policy: ${typeName}.${fieldName} is not in the schema`);
      if (rule.kind !== 'withParent') field.resolve = guard(typeName, fieldName, rule, field.resolve);
    }
  }
  return schema;
}

function guard(
  typeName: string,
  fieldName: string,
  rule: Exclude<FieldRule<unknown>, { kind: 'withParent' }>,
  inner: GraphQLFieldResolver<unknown, Context> | undefined,
): GraphQLFieldResolver<unknown, Context> {
  const resolve = inner ?? defaultFieldResolver;
  const name = `${typeName}.${fieldName}`;
  if (rule.kind === 'selfOnly') {
    return (parent, args, ctx, info) => {
      if (!isSelf(ctx.viewer, rule.memberOf(parent))) throw forbidden(`${name} is readable only by the member itself.`);
      return resolve(parent, args, ctx, info);
    };
  }
  return async (parent, args, ctx, info) => {
    const memberId = rule.memberOf(parent);
    if (!(await canReadIdentifiers(ctx, memberId))) throw forbidden(`${name} is a personal identifier you are not allowed to read.`);
    const value = await resolve(parent, args, ctx, info);
    await ctx.audit.record(memberId, fieldName);
    return value;
  };
}
