import { buildOperationContext, type executeQueryPlan } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import { ErrorCode, estimateCost, queryTooCostly, type QueryLimits } from '@phub/kit/edge';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode, ParseOptions, ValidationRule } from 'graphql';
import { subgraphsOf } from '../supergraph.js';
import { getOperationAST, getVariableValues, GraphQLError, parse, print, specifiedRules, validate } from './graphql.js';
import type { ErrorStage } from './subscription-errors.js';

/** The service name the primary fetch is renamed to, so each upstream event can be fed into the plan. */
export const EVENT_SOURCE = '__upstream_event__';

type OperationContext = Parameters<typeof executeQueryPlan>[3];

/** What a client sends: the GraphQL-over-HTTP / graphql-ws request body. */
export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** How one subscription is executed: the upstream part, and the plan that resolves each event. */
export interface SubscriptionPlan {
  /** The subgraph that owns the root field, and its graphql-ws URL. */
  subgraph: string;
  upstreamUrl: string;
  /** The root field's fetch, sent to the owning subgraph as a subscription. */
  primary: FetchNode;
  /** The primary fetch (served from the event) followed by the plan's `rest`, run once per event. */
  perEvent: QueryPlan;
  operationContext: OperationContext;
  /**
   * The subgraph's answer to `primary` is the client's answer as it is (see `answersAsIs`): events are forwarded
   * without running `perEvent`, which re-reads the operation and reshapes the data for every event of every feed.
   */
  asIs: boolean;
}

/** A parsed, validated operation; subscriptions carry their plan. */
export interface PreparedOperation {
  graph: GraphPlanner;
  query: string;
  operationName?: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Set for subscriptions only. */
  plan?: SubscriptionPlan;
}

export type Prepared =
  | { ok: true; operation: PreparedOperation; variables: Record<string, unknown> }
  | { ok: false; errors: GraphQLError[]; stage: ErrorStage };

/** Federation's planner and schemas of one supergraph (what @apollo/gateway makes of it too). */
export interface PlanningEngine {
  planner: QueryPlanner;
  /** The API schema as federation's. */
  api: Schema;
  /** The supergraph as graphql-js, which executeQueryPlan needs besides the plan. */
  supergraphSchema: GraphQLSchema;
}

export interface GraphPlannerOptions {
  coreSupergraphSdl: string;
  /**
   * The gateway's own engine for this supergraph, shared rather than built twice (a planner and its schemas are
   * about 12 MB of heap on our supergraph); without it, one is built here.
   */
  engine?: PlanningEngine;
  /** The gateway's API schema (what clients may query), for validation. */
  apiSchema: GraphQLSchema;
  /** The URL the gateway uses for a subgraph, given the one the supergraph names. */
  subgraphUrl: (name: string, supergraphUrl: string) => string;
  validationRules: readonly ValidationRule[];
  parseOptions: ParseOptions;
  /** The cost limit HTTP requests get (it needs the variables, so it is checked per request). */
  cost: Pick<QueryLimits, 'maxCost' | 'defaultListSize'>;
  /** Distinguishes supergraph versions in sharing keys. */
  version: number;
}

/** Limit rules may build their errors with another graphql-js copy (see graphql.ts); graphql-ws wants ours. */
function ownCopy(error: GraphQLError): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const { message, nodes, source, positions, path, extensions } = error;
  return new GraphQLError(message, { nodes, source, positions, path, extensions, originalError: error });
}

/** Documents cached per supergraph; clients send a handful of distinct operations, not thousands. */
const MAX_CACHED_OPERATIONS = 1_000;

type Cached = { ok: true; operation: PreparedOperation } | { ok: false; errors: GraphQLError[]; stage: ErrorStage };

function buildEngine(coreSupergraphSdl: string): PlanningEngine {
  // The gateway validated this supergraph before announcing it.
  const supergraph = Supergraph.build(coreSupergraphSdl, { validateSupergraph: false });
  return {
    planner: new QueryPlanner(supergraph),
    api: supergraph.apiSchema(),
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
  };
}

/**
 * One supergraph version, ready to plan subscriptions: federation's query planner knows
 * subscriptions (a `Subscription` node with a `primary` fetch to the owning subgraph and the
 * `rest` to run per event). Rebuilt whenever the gateway loads a new supergraph.
 */
export class GraphPlanner {
  readonly version: number;
  readonly apiSchema: GraphQLSchema;
  /** What executeQueryPlan needs besides the plan: the supergraph as graphql-js, the API schema as federation's. */
  readonly supergraphSchema: GraphQLSchema;
  readonly api: Schema;
  private readonly planner: QueryPlanner;
  private readonly urls = new Map<string, string>();
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly options: GraphPlannerOptions) {
    this.version = options.version;
    this.apiSchema = options.apiSchema;
    const engine = options.engine ?? buildEngine(options.coreSupergraphSdl);
    this.api = engine.api;
    this.supergraphSchema = engine.supergraphSchema;
    this.planner = engine.planner;
    for (const { name, url } of subgraphsOf(options.coreSupergraphSdl)) {
      this.urls.set(name, options.subgraphUrl(name, url));
    }
  }

  /** Parses, validates (with the HTTP limits) and, for subscriptions, plans; results are cached per document. */
  prepare(request: OperationRequest): Prepared {
    const operationName = request.operationName ?? undefined;
    const key = `${operationName ?? ''}\n${request.query}`;
    let cached = this.cache.get(key);
    if (!cached) {
      cached = this.build(request.query, operationName);
      if (this.cache.size >= MAX_CACHED_OPERATIONS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, cached);
    }
    if (!cached.ok) return cached;
    const { operation } = cached;
    // Checked per request, as Apollo Server does: required variables present and of the right types.
    const coerced = getVariableValues(this.apiSchema, operation.operation.variableDefinitions ?? [], {
      ...request.variables,
    });
    if (coerced.errors) {
      const errors = coerced.errors.map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: ErrorCode.BAD_USER_INPUT } }),
      );
      return { ok: false, errors, stage: 'execution' };
    }
    const variables = { ...request.variables };
    const { maxCost, defaultListSize } = this.options.cost;
    const cost = estimateCost(this.apiSchema, operation.document, operationName, variables, defaultListSize);
    if (cost > maxCost) {
      const refused = queryTooCostly(cost, maxCost);
      const { http: _http, ...extensions } = refused.extensions;
      return { ok: false, errors: [new GraphQLError(refused.message, { extensions })], stage: 'validation' };
    }
    // Raw values go upstream, as the gateway forwards them for queries.
    return { ok: true, operation, variables };
  }

  private build(query: string, operationName: string | undefined): Cached {
    let document: DocumentNode;
    try {
      document = parse(query, this.options.parseOptions);
    } catch (err) {
      if (err instanceof GraphQLError) return { ok: false, errors: [err], stage: 'parse' };
      throw err;
    }
    const errors = validate(this.apiSchema, document, [...specifiedRules, ...this.options.validationRules]);
    if (errors.length) return { ok: false, errors: errors.map(ownCopy), stage: 'validation' };
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      const message = operationName ? `Unknown operation named "${operationName}"` : 'Name the operation to run';
      return { ok: false, errors: [new GraphQLError(message)], stage: 'validation' };
    }
    const prepared: PreparedOperation = { graph: this, query, operationName, document, operation };
    if (operation.operation === 'subscription') {
      try {
        prepared.plan = this.plan(document, operationName);
      } catch (err) {
        const message = `The subscription cannot be planned: ${(err as Error).message}`;
        return { ok: false, errors: [new GraphQLError(message, { originalError: err as Error })], stage: 'execution' };
      }
    }
    return { ok: true, operation: prepared };
  }

  private plan(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const operation = operationFromDocument(this.api, document, { operationName });
    const plan = this.planner.buildQueryPlan(operation);
    const node = plan.node;
    if (node?.kind !== 'Subscription') throw new Error('the query planner returned no subscription node');
    const { primary, rest } = node;
    const event: FetchNode = { ...primary, serviceName: EVENT_SOURCE };
    const url = this.urls.get(primary.serviceName);
    if (!url) throw new Error(`the supergraph names no URL for subgraph "${primary.serviceName}"`);
    return {
      subgraph: primary.serviceName,
      upstreamUrl: url.replace(/^http/, 'ws'),
      primary,
      perEvent: { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [event, rest] } : event },
      operationContext: buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName }),
      asIs: !rest && answersAsIs(primary.operation, document, operationName),
    };
  }
}

/**
 * Whether a subgraph answering `upstream` answers the client's operation exactly: the same selection, written
 * the same way, with the same variables. Fragments are never taken as the same (the planner may rewrite them),
 * so any difference sends events through the plan, which shapes them; this only skips work that changes nothing.
 */
export function answersAsIs(upstream: string, document: DocumentNode, operationName: string | undefined): boolean {
  const client = getOperationAST(document, operationName);
  if (!client || document.definitions.some((d) => d.kind === 'FragmentDefinition')) return false;
  const sent = parse(upstream);
  const [op, ...more] = sent.definitions;
  if (more.length || op?.kind !== 'OperationDefinition') return false;
  const variables = (o: OperationDefinitionNode) => (o.variableDefinitions ?? []).map((v) => print(v)).sort();
  return (
    print(op.selectionSet) === print(client.selectionSet) &&
    JSON.stringify(variables(op)) === JSON.stringify(variables(client))
  );
}
