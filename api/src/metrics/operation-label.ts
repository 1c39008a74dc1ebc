/**
 * The `operation` label of a GraphQL request: the root field it asks for (`groups`,
 * `reserveSeat`), so the label's values are bounded by the schema. A client's `operationName`
 * is never used: anyone could send a new one with every request.
 *
 * - one root field (however often, under whatever alias) → its name;
 * - several different root fields → `multiple` (their combinations are not bounded);
 * - a document that does not parse, names an unknown root field or selects no operation →
 *   `invalid`;
 * - a request refused before GraphQL (bad body, rate limit, shutting down) → `none`.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from 'graphql';

export const INVALID_OPERATION = 'invalid';
export const NO_OPERATION = 'none';
export const SEVERAL_OPERATIONS = 'multiple';

const META_FIELDS: Record<string, ReadonlySet<string>> = {
  query: new Set(['__typename', '__schema', '__type']),
  mutation: new Set(['__typename']),
  subscription: new Set(['__typename']),
};

/** The operation GraphQL would run: the one named `operationName`, or the only one. */
function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * Adds the root field names of a selection set to `into`, through inline fragments and fragment
 * spreads (each spread once); false when a spread names no fragment of the document.
 */
function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
  into: Set<string>,
): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) {
      into.add(selection.name.value);
      return true;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, seen, into);
    const fragment = fragments.get(selection.name.value);
    if (!fragment) return false;
    if (seen.has(fragment.name.value)) return true;
    seen.add(fragment.name.value);
    return rootFieldNames(fragment.selectionSet, fragments, seen, into);
  });
}

/** The label of a parsed document (validated or not: unknown root fields make it `invalid`). */
export function operationLabel(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): string {
  const operation = selectedOperation(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return INVALID_OPERATION;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const names = new Set<string>();
  if (!rootFieldNames(operation.selectionSet, fragments, new Set(), names)) return INVALID_OPERATION;
  const known = rootType.getFields();
  for (const name of names) if (!(name in known) && !META_FIELDS[operation.operation]?.has(name)) return INVALID_OPERATION;
  if (names.size === 0) return INVALID_OPERATION;
  return names.size === 1 ? [...names][0]! : SEVERAL_OPERATIONS;
}

const MAX_REMEMBERED = 500;

/**
 * Labels of query texts, parsed once per text (at most 500 remembered): for the answers the
 * public cache serves without GraphQL parsing them again.
 */
export function textLabeller(schema: GraphQLSchema): (query: unknown, operationName: unknown) => string {
  const labels = new Map<string, string>();
  return (query, operationName) => {
    if (typeof query !== 'string') return INVALID_OPERATION;
    const name = typeof operationName === 'string' ? operationName : undefined;
    const key = `${name ?? ''}\0${query}`;
    let label = labels.get(key);
    if (label === undefined) {
      try {
        label = operationLabel(schema, parse(query), name);
      } catch {
        label = INVALID_OPERATION;
      }
      if (labels.size >= MAX_REMEMBERED) labels.delete(labels.keys().next().value!);
      labels.set(key, label);
    }
    return label;
  };
}
