import {
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLInt,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromAST,
  Kind,
  visit,
  type ASTNode,
  type ValueNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../pagination.js';

/** What one operation may ask for; anything over a limit is refused before it runs. */
export interface OperationLimits {
  /** Deepest field nesting, the leaf included. */
  maxDepth: number;
  /** Most nodes (list items) the operation may fetch: GRAPHQL_MAX_COST. */
  maxNodes: number;
}

/** The largest HTTP request body, and the largest graphql-ws message. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** How deep JSON variables may nest (an input object holding a list is 2). */
export const MAX_VARIABLES_DEPTH = 10;

/** Aliased fields in one operation, fragments expanded. */
export const MAX_ALIASES = 30;
/** Fields at the root of one operation, fragments expanded. */
export const MAX_ROOT_FIELDS = 30;

/**
 * Lists without a `first` argument count as this many items: an essay asks a
 * few questions (at most 20), a response has a short edit history. Any other
 * list counts as a full page.
 */
const LIST_SIZES: Record<string, number> = {
  'Essay.prompts': 5,
  'Response.edits': 10,
  'Query.mySubscriptions': 10,
};

/** What an operation asks for, fragments expanded. */
export interface OperationMeasure {
  /** List items it may fetch: the product of the page sizes down each path, summed. */
  nodes: number;
  depth: number;
  aliases: number;
  rootFields: number;
}

interface SelectionMeasure {
  nodes: number;
  depth: number;
  aliases: number;
  fields: number;
}

const NOTHING: SelectionMeasure = { nodes: 0, depth: 0, aliases: 0, fields: 0 };

/**
 * Measures `operation` as it would run with `variables` (raw, as the client
 * sent them). Like GitHub's node limit: a connection fetches `first` items
 * (its default when absent), each of which fetches what is selected below,
 * so nested page sizes multiply. Introspection fields count nothing.
 * Each fragment is measured once, so repeated spreads cost no extra work.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, SelectionMeasure>();
  const operationVariables = effectiveVariables(operation, variables);

  const measureSelections = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    visiting: Set<string>,
  ): SelectionMeasure => {
    const total = { ...NOTHING };
    const add = (part: SelectionMeasure) => {
      total.nodes += part.nodes;
      total.aliases += part.aliases;
      total.fields += part.fields;
      total.depth = Math.max(total.depth, part.depth);
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        add(measureField(selection, parent, visiting));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (type) add(measureSelections(selection.selectionSet, type, visiting));
      } else {
        add(measureFragment(selection.name.value, visiting));
      }
    }
    return total;
  };

  const measureFragment = (name: string, visiting: Set<string>): SelectionMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown or cyclic spreads fail validation; they count nothing here.
    if (!fragment || visiting.has(name)) return NOTHING;
    const type = schema.getType(fragment.typeCondition.name.value);
    if (!type) return NOTHING;
    const result = measureSelections(fragment.selectionSet, type, new Set([...visiting, name]));
    measured.set(name, result);
    return result;
  };

  const measureField = (
    field: FieldNode,
    parent: GraphQLNamedType,
    visiting: Set<string>,
  ): SelectionMeasure => {
    const aliases = field.alias ? 1 : 0;
    const name = field.name.value;
    const definition =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (name.startsWith('__') || !definition) return { nodes: 0, depth: 0, aliases, fields: 1 };
    const type = getNamedType(definition.type);
    const below =
      field.selectionSet && isCompositeType(type)
        ? measureSelections(field.selectionSet, type, visiting)
        : NOTHING;
    const items = listLength(parent, definition, field, operationVariables);
    return {
      nodes: items === undefined ? below.nodes : items + items * below.nodes,
      depth: below.depth + 1,
      aliases: aliases + below.aliases,
      fields: 1,
    };
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return { nodes: 0, depth: 0, aliases: 0, rootFields: 0 };
  const result = measureSelections(operation.selectionSet, root, new Set());
  return {
    nodes: result.nodes,
    depth: result.depth,
    aliases: result.aliases,
    rootFields: result.fields,
  };
}

/** How many items a field returns at most, or undefined when it is not a list of objects. */
function listLength(
  parent: GraphQLNamedType,
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  variables: Record<string, unknown>,
): number | undefined {
  const first = definition.args.find((arg) => arg.name === 'first');
  if (first) {
    const node = field.arguments?.find((arg) => arg.name.value === 'first');
    const omitted =
      !node ||
      (node.value.kind === Kind.VARIABLE && variables[node.value.name.value] === undefined);
    const value = omitted ? first.defaultValue : valueFromAST(node.value, GraphQLInt, variables);
    // Anything the resolver would refuse anyway counts as a full page.
    return typeof value === 'number' && Number.isInteger(value)
      ? Math.min(Math.max(value, 0), MAX_PAGE_SIZE)
      : MAX_PAGE_SIZE;
  }
  if (!isListType(getNullableType(definition.type))) return undefined;
  if (!isCompositeType(getNamedType(definition.type))) return undefined;
  // A connection's edges are the items its `first` already counted.
  if (parent.name.endsWith('Connection') && definition.name === 'edges') return undefined;
  return LIST_SIZES[`${parent.name}.${definition.name}`] ?? MAX_PAGE_SIZE;
}

/** The variables as sent, with the operation's defaults for those left out. */
function effectiveVariables(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue) {
      values[name] = valueFromAST(definition.defaultValue, GraphQLInt);
    }
  }
  return values;
}

/** Why `measure` is refused under `limits`, or undefined when it is within them. */
export function limitExceeded(
  measure: OperationMeasure,
  limits: OperationLimits,
): string | undefined {
  if (measure.depth > limits.maxDepth) {
    return `Query depth limit of ${limits.maxDepth} exceeded, found ${measure.depth}.`;
  }
  if (measure.aliases > MAX_ALIASES) {
    return `This operation uses ${measure.aliases} aliases; the limit is ${MAX_ALIASES}.`;
  }
  if (measure.rootFields > MAX_ROOT_FIELDS) {
    return `This operation asks for ${measure.rootFields} root fields; the limit is ${MAX_ROOT_FIELDS}.`;
  }
  if (measure.nodes > limits.maxNodes) {
    return `This operation may fetch ${measure.nodes} nodes; the limit is ${limits.maxNodes} (the product of the page sizes down each path, summed).`;
  }
  return undefined;
}

/** Why an operation is refused, and the argument at fault when there is one. */
export interface Refusal {
  message: string;
  /** The argument (or input field) holding the bad value, as BAD_USER_INPUT errors name it. */
  field?: string;
}

/**
 * Why the operation's text or variables are refused whatever they are for,
 * or undefined: a NUL character (PostgreSQL cannot store one in text, and no
 * reader means one) in any string, or variables nested deeper than
 * MAX_VARIABLES_DEPTH. Walked without recursion, so no depth overflows it.
 */
export function badBytes(document: DocumentNode, variables: unknown): Refusal | undefined {
  const pending: { value: unknown; path: string; field?: string; depth: number }[] = [
    { value: variables, path: '', depth: 0 },
  ];
  while (pending.length > 0) {
    const { value, path, field, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0'))
        return {
          message: `${path} contains a NUL character (\\u0000), which text may not hold.`,
          field,
        };
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_VARIABLES_DEPTH && path !== '') {
        return {
          message: `Variables may be nested at most ${MAX_VARIABLES_DEPTH} deep; ${path} is deeper.`,
        };
      }
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\0'))
          return { message: `A variable name or key contains a NUL character (\\u0000).` };
        const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : `$${key}`;
        let named = field;
        if (path === '') named = documentFacts(document).argumentsOf.get(key) ?? key;
        else if (!Array.isArray(value)) named = key;
        pending.push({ value: item, path: at, field: named, depth: path === '' ? 0 : depth + 1 });
      }
    }
  }
  return documentFacts(document).literal;
}

/** What badBytes needs of a document, which does not change from one request to the next. */
interface DocumentFacts {
  /** The refusal of a NUL in one of its string literals, if it has one. */
  literal: Refusal | undefined;
  argumentsOf: Map<string, string>;
}

/**
 * Per parsed document: Apollo's document store hands back the same object
 * for the same query, so each is walked once rather than on every request.
 */
const facts = new WeakMap<DocumentNode, DocumentFacts>();

function documentFacts(document: DocumentNode): DocumentFacts {
  let known = facts.get(document);
  if (!known) {
    known = { literal: nulLiteral(document), argumentsOf: variableArguments(document) };
    facts.set(document, known);
  }
  return known;
}

function nulLiteral(document: DocumentNode): Refusal | undefined {
  let literal: Refusal | undefined;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (literal === undefined && node.value.includes('\0')) {
        literal = {
          message:
            'A string in the operation contains a NUL character (\\u0000), which text may not hold.',
          field: nearestArgumentName([...ancestors, parent ?? []]),
        };
      }
    },
  });
  return literal;
}

/** Each variable's name → the argument or input field it is passed as (its first use). */
function variableArguments(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  const note = (name: string, value: ValueNode) => {
    if (value.kind === Kind.VARIABLE && !names.has(value.name.value))
      names.set(value.name.value, name);
  };
  visit(document, {
    Argument: (node) => note(node.name.value, node.value),
    ObjectField: (node) => note(node.name.value, node.value),
  });
  return names;
}

function nearestArgumentName(
  ancestors: readonly (ASTNode | readonly ASTNode[])[],
): string | undefined {
  for (let index = ancestors.length - 1; index >= 0; index -= 1) {
    const node = ancestors[index];
    if (node && !Array.isArray(node)) {
      const named = node as ASTNode;
      if (named.kind === Kind.ARGUMENT || named.kind === Kind.OBJECT_FIELD) return named.name.value;
    }
  }
  return undefined;
}

export const LIMIT_REJECTED = 'LIMIT_REJECTED';

/** An operation refused for asking too much: formatted as BAD_USER_INPUT with HTTP 400. */
export function limitError(refusal: string | Refusal): GraphQLError {
  const { message, field } = typeof refusal === 'string' ? { message: refusal } : refusal;
  return new GraphQLError(message, {
    extensions: { [LIMIT_REJECTED]: true, http: { status: 400 }, ...(field ? { field } : {}) },
  });
}
