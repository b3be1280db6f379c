import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { z } from 'zod';
import { ErrorCode } from './errors.js';

/** What every GraphQL endpoint of the platform (gateway and subgraphs) refuses before executing. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Estimated objects a query may return; see `estimateCost`. */
  maxCost: number;
  /** Size assumed for a list whose field has no `first` / `last` argument. */
  defaultListSize: number;
  maxBodyBytes: number;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The same variables, with the same defaults, on the gateway and on every subgraph. */
export const queryLimitsEnvSchema = z.object({
  MAX_QUERY_DEPTH: positiveInt(12),
  MAX_ALIASES: positiveInt(30),
  MAX_TOKENS: positiveInt(2000),
  MAX_DIRECTIVES: positiveInt(50),
  MAX_QUERY_COST: positiveInt(20_000),
  DEFAULT_LIST_SIZE: positiveInt(10),
  MAX_BODY_BYTES: positiveInt(256 * 1024),
});
export type QueryLimitsEnv = z.infer<typeof queryLimitsEnvSchema>;

export function queryLimitsFromEnv(env: QueryLimitsEnv): QueryLimits {
  return {
    maxDepth: env.MAX_QUERY_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxTokens: env.MAX_TOKENS,
    maxDirectives: env.MAX_DIRECTIVES,
    maxCost: env.MAX_QUERY_COST,
    defaultListSize: env.DEFAULT_LIST_SIZE,
    maxBodyBytes: env.MAX_BODY_BYTES,
  };
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = queryLimitsFromEnv(queryLimitsEnvSchema.parse({}));

/** The codes a limit rule reports; `formatError` keeps them instead of GRAPHQL_VALIDATION_FAILED. */
export const LIMIT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.QUERY_TOO_DEEP,
  ErrorCode.TOO_MANY_ALIASES,
  ErrorCode.TOO_MANY_DIRECTIVES,
  ErrorCode.QUERY_TOO_COSTLY,
]);

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Deepest field nesting, aliases and directives of one operation with its fragments spread in.
 * Introspection fields (`__schema`, `__typename`) do not count, so development tools keep working.
 * Memoised per fragment: a chain of fragments each spreading the next twice stays linear.
 */
function measure(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>) {
  const memo = new Map<string, { depth: number; aliases: number; directives: number }>();
  const walk = (
    set: SelectionSetNode,
    seen: ReadonlySet<string>,
  ): { depth: number; aliases: number; directives: number } => {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    for (const selection of set.selections) {
      directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.alias) aliases++;
        const inner = selection.selectionSet ? walk(selection.selectionSet, seen) : undefined;
        depth = Math.max(depth, 1 + (inner?.depth ?? 0));
        aliases += inner?.aliases ?? 0;
        directives += inner?.directives ?? 0;
        continue;
      }
      let inner: { depth: number; aliases: number; directives: number } | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic spreads are reported by graphql-js's own rules.
        if (!fragment || seen.has(name)) continue;
        inner = memo.get(name);
        if (!inner) {
          inner = walk(fragment.selectionSet, new Set([...seen, name]));
          inner = { ...inner, directives: inner.directives + (fragment.directives?.length ?? 0) };
          memo.set(name, inner);
        }
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      directives += inner.directives;
    }
    return { depth, aliases, directives };
  };
  const result = walk(operation.selectionSet, new Set());
  return { ...result, directives: result.directives + (operation.directives?.length ?? 0) };
}

/** Validation rules for depth, aliases and directives (variables are not needed to judge them). */
export function shapeLimitRules(
  limits: Pick<QueryLimits, 'maxDepth' | 'maxAliases' | 'maxDirectives'>,
): ValidationRule[] {
  const rule = (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const found = measure(operation, fragmentsOf(context.getDocument()));
      const report = (code: ErrorCode, message: string) =>
        context.reportError(new GraphQLError(message, { nodes: [operation], extensions: { code } }));
      if (found.depth > limits.maxDepth) {
        report(
          ErrorCode.QUERY_TOO_DEEP,
          `The query is ${found.depth} levels deep; at most ${limits.maxDepth} are allowed`,
        );
      }
      if (found.aliases > limits.maxAliases) {
        report(
          ErrorCode.TOO_MANY_ALIASES,
          `The query has ${found.aliases} aliases; at most ${limits.maxAliases} are allowed`,
        );
      }
      if (found.directives > limits.maxDirectives) {
        report(
          ErrorCode.TOO_MANY_DIRECTIVES,
          `The query has ${found.directives} directives; at most ${limits.maxDirectives} are allowed`,
        );
      }
      return false;
    },
  });
  return [rule];
}

/** The list size a field asks for: `first` / `last`, or the number of entity representations. */
function requestedSize(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  let size: number | undefined;
  for (const argument of field.arguments ?? []) {
    const name = argument.name.value;
    if (name !== 'first' && name !== 'last' && name !== 'representations') continue;
    const value = valueOf(argument.value, variables);
    const n = name === 'representations' ? (Array.isArray(value) ? value.length : undefined) : value;
    if (typeof n === 'number' && Number.isFinite(n)) size = Math.max(size ?? 0, Math.max(0, n));
  }
  return size;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values;
    default:
      return undefined;
  }
}

// graphql-js may be loaded twice (ESM and CJS builds, see errors.ts), and its `isObjectType` & co.
// throw on the other build's types; these read the types by shape instead.
function fieldsOf(
  type: GraphQLNamedType | undefined | null,
): Record<string, GraphQLField<unknown, unknown>> | undefined {
  const withFields = type as { getFields?: () => Record<string, GraphQLField<unknown, unknown>> } | undefined | null;
  // Input objects have fields too, but never appear in a selection.
  return typeof withFields?.getFields === 'function' ? withFields.getFields() : undefined;
}

/** `[Store!]!` → a list of `Store`; `StoreConnection!` → one `StoreConnection`. */
function shapeOf(field: GraphQLField<unknown, unknown>): { list: boolean; named: string } {
  const printed = String(field.type).replace(/!$/, '');
  return { list: printed.startsWith('['), named: printed.replace(/[[\]!]/g, '') };
}

/**
 * An estimate of how many objects an operation can return, before running it: every field with a
 * selection counts once per parent object; a list multiplies what is under it by its `first` / `last`
 * (or `_entities`' representations), else by `defaultListSize`. The `edges` / `nodes` list right under
 * a sized connection is already counted by that size. Leaves are free: objects are what cost
 * resolvers, loaders and memory. Abstract types count every branch (an upper bound).
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  defaultListSize: number,
): number {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = fragmentsOf(document);
  // cost(set, m) = m × cost(set, 1), so each fragment is walked once (per pending size) and scaled by its callers.
  const memo = new Map<string, number>();

  const walk = (
    set: SelectionSetNode,
    type: GraphQLNamedType,
    pending: number | undefined,
    seen: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet || selection.name.value.startsWith('__')) continue;
        const definition = fieldsOf(type)?.[selection.name.value];
        const shape = definition && shapeOf(definition);
        const inner = shape && schema.getType(shape.named);
        if (!shape || !inner) continue;
        const asked = requestedSize(selection, variables);
        if (shape.list) {
          const size = asked ?? pending ?? defaultListSize;
          total += size * (1 + walk(selection.selectionSet, inner, undefined, seen));
        } else {
          // A connection object with `first` is one object; its size applies to its edges / nodes list.
          total += 1 + walk(selection.selectionSet, inner, asked, seen);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (condition) total += walk(selection.selectionSet, condition, pending, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (!condition) continue;
        const key = `${name}\n${pending ?? ''}`;
        let cost = memo.get(key);
        if (cost === undefined) {
          cost = walk(fragment.selectionSet, condition, pending, new Set([...seen, name]));
          memo.set(key, cost);
        }
        total += cost;
      }
    }
    return total;
  };
  return walk(operation.selectionSet, root, undefined, new Set());
}

export function queryTooCostly(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `The query could return about ${Math.round(cost)} objects; at most ${maxCost} are allowed (ask for smaller pages)`,
    { extensions: { code: ErrorCode.QUERY_TOO_COSTLY, cost: Math.round(cost), maxCost, http: { status: 400 } } },
  );
}

/**
 * Refuses an operation whose estimated cost is over the limit, after Apollo Server resolved it
 * (variables are known then, so `first: $n` counts) and before anything runs.
 */
export function costLimitPlugin(limits: Pick<QueryLimits, 'maxCost' | 'defaultListSize'>): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const cost = estimateCost(
            schema,
            document,
            operationName ?? undefined,
            request.variables ?? {},
            limits.defaultListSize,
          );
          if (cost > limits.maxCost) throw queryTooCostly(cost, limits.maxCost);
        },
      };
    },
  };
}

/** Everything an Apollo Server needs to refuse abusive documents, the same on the gateway and subgraphs. */
export function apolloQueryLimits(limits: QueryLimits) {
  return {
    validationRules: shapeLimitRules(limits),
    // graphql-js's own parser bound; reported as TOO_MANY_TOKENS by `formatError`.
    parseOptions: { maxTokens: limits.maxTokens },
    // A batch of operations would multiply every other limit.
    allowBatchedHttpRequests: false,
    plugins: [costLimitPlugin(limits)],
  };
}
