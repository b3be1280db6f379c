import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { createRequire } from 'node:module';
import { ErrorCode } from './errors.js';

/**
 * The input guard: characters no string input of the graph may hold, whatever the field.
 *
 * - NUL (U+0000): Postgres cannot store it in text or jsonb ("unsupported Unicode escape sequence").
 * - Every other C0 control (U+0001–U+001F) except tab, line feed and carriage return: invisible, never
 *   typed by a person, and breaks CSV exports and logs. Tab, LF and CR stay allowed everywhere because free
 *   text (descriptions, notes, addresses) legitimately holds them; single-line fields (names, ids, versions)
 *   are narrowed further by their own domain validation.
 * - Lone UTF-16 surrogates (U+D800–U+DFFF not in a pair): not Unicode at all; Postgres rejects them in
 *   jsonb and they turn into U+FFFD (silent corruption) on the way into text.
 *
 * The guard runs on every subgraph server after validation and before any resolver, over inline literal
 * arguments and variables alike (nested input objects, lists, JSON scalars and their keys).
 */

/** Why a string was refused; stable, part of the API (`extensions.fields[].reason`). */
export const InputProblem = {
  NUL_CHARACTER: 'NUL_CHARACTER',
  CONTROL_CHARACTER: 'CONTROL_CHARACTER',
  LONE_SURROGATE: 'LONE_SURROGATE',
} as const;
export type InputProblem = (typeof InputProblem)[keyof typeof InputProblem];

export interface BadInputField {
  /** Where the value was: `field.argument.nested[2].key`, or `$variable…` for an unused variable's default. */
  field: string;
  reason: InputProblem;
  messages: string[];
}

// Without the `u` flag a regex sees UTF-16 code units, so unpaired surrogates are matchable.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with `value`, or null when the guard lets it through. */
export function stringProblem(value: string): { reason: InputProblem; message: string } | null {
  const match = FORBIDDEN.exec(value);
  if (!match) return null;
  const code = match[0].charCodeAt(0);
  const at = `at position ${match.index}`;
  if (code === 0) return { reason: InputProblem.NUL_CHARACTER, message: `contains a NUL character (U+0000) ${at}` };
  if (code < 0x20) {
    return { reason: InputProblem.CONTROL_CHARACTER, message: `contains the control character ${hex(code)} ${at}` };
  }
  return { reason: InputProblem.LONE_SURROGATE, message: `contains an unpaired UTF-16 surrogate ${hex(code)} ${at}` };
}

// Paths are echoed to clients and logs: a hostile key must not smuggle its control characters into them.
const printable = (key: string) =>
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  key.replace(/[\u0000-\u001F\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// Bounds the work a hostile request can cause (deep JSON variables) and the size of the error.
const MAX_DEPTH = 64;
const MAX_REPORTED = 20;

class Collector {
  readonly found: BadInputField[] = [];
  private readonly seenPaths = new Set<string>();

  check(value: string, path: string): void {
    const problem = stringProblem(value);
    if (!problem || this.seenPaths.has(path) || this.full) return;
    this.seenPaths.add(path);
    this.found.push({ field: path, reason: problem.reason, messages: [problem.message] });
  }

  get full(): boolean {
    return this.found.length >= MAX_REPORTED;
  }

  /** A runtime value (variables, JSON scalars): every string, object key included. */
  json(value: unknown, path: string, depth = 0): void {
    if (this.full || depth > MAX_DEPTH) return;
    if (typeof value === 'string') this.check(value, path);
    else if (Array.isArray(value)) value.forEach((v, i) => this.json(v, `${path}[${i}]`, depth + 1));
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const at = `${path}.${printable(key)}`;
        this.check(key, `${at} (key)`);
        this.json(v, at, depth + 1);
      }
    }
  }
}

/**
 * Every string input of `operation` that the guard refuses, with the path of its argument.
 * Variables are followed to their values (or their defaults), so the path names the argument they fill.
 */
export function findBadInput(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): BadInputField[] {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const provided = variables ?? {};
  const defaults = new Map(
    (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, v.defaultValue] as const),
  );
  const out = new Collector();
  const usedVariables = new Set<string>();

  const value = (node: ValueNode, path: string, depth: number): void => {
    if (out.full || depth > MAX_DEPTH) return;
    switch (node.kind) {
      case Kind.STRING:
        return out.check(node.value, path);
      case Kind.LIST:
        return node.values.forEach((v, i) => value(v, `${path}[${i}]`, depth + 1));
      case Kind.OBJECT:
        return node.fields.forEach((f) => value(f.value, `${path}.${f.name.value}`, depth + 1));
      case Kind.VARIABLE: {
        const name = node.name.value;
        usedVariables.add(name);
        if (Object.hasOwn(provided, name)) return out.json(provided[name], path, depth);
        const fallback = defaults.get(name);
        if (fallback) value(fallback, path, depth + 1);
        return;
      }
      default:
        // Ints, floats, booleans, enums and null cannot hold characters the lexer did not already refuse.
        return;
    }
  };

  const visitedFragments = new Set<string>();
  const selections = (set: SelectionSetNode | undefined, prefix: string, depth: number): void => {
    if (!set || depth > MAX_DEPTH) return;
    for (const s of set.selections) {
      const path =
        s.kind !== Kind.FIELD
          ? prefix
          : prefix
            ? `${prefix}.${s.alias?.value ?? s.name.value}`
            : (s.alias?.value ?? s.name.value);
      for (const d of s.directives ?? []) {
        for (const a of d.arguments ?? []) value(a.value, `${path}@${d.name.value}.${a.name.value}`, depth);
      }
      if (s.kind === Kind.FIELD) {
        for (const a of s.arguments ?? []) value(a.value, `${path}.${a.name.value}`, depth);
        selections(s.selectionSet, path, depth + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        selections(s.selectionSet, prefix, depth + 1);
      } else if (!visitedFragments.has(s.name.value)) {
        // Validation refuses fragment cycles already; the set also keeps shared fragments from being walked twice.
        visitedFragments.add(s.name.value);
        selections(fragments.get(s.name.value)?.selectionSet, prefix, depth + 1);
      }
    }
  };
  selections(operation.selectionSet, '', 0);
  for (const d of operation.directives ?? []) {
    for (const a of d.arguments ?? []) value(a.value, `@${d.name.value}.${a.name.value}`, 0);
  }
  // A declared variable no argument uses still travels to the subgraph's logs and context; check it too.
  for (const name of defaults.keys()) {
    if (!usedVariables.has(name) && Object.hasOwn(provided, name)) out.json(provided[name], `$${name}`);
  }
  return out.found;
}

/** The client-facing error for what `findBadInput` found: BAD_USER_INPUT with every offending path. */
export function badInputError(found: BadInputField[], ErrorClass: typeof GraphQLError = GraphQLError): GraphQLError {
  const summary = found.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ');
  return new ErrorClass(`Invalid input: ${summary}`, {
    extensions: {
      code: ErrorCode.BAD_USER_INPUT,
      fields: found,
      // 200 like every other BAD_USER_INPUT: @apollo/gateway turns any other status into SUBGRAPH_BAD_RESPONSE
      // and would hide the code (Apollo Server removes `http` from the response).
      http: { status: 200 },
    },
  });
}

/**
 * The guard as an Apollo Server plugin: refuses the request after validation, before any resolver runs; and
 * answers every BAD_USER_INPUT with HTTP 200, so the gateway passes the code on to the client.
 */
export function inputGuardPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          const found = findBadInput(ctx.document, ctx.operationName, ctx.request.variables);
          if (found.length) throw badInputError(found);
        },
        async willSendResponse(ctx) {
          // A variable the subgraph's own scalar refuses (a date, a URL: the supergraph cannot check those) makes
          // Apollo answer 400, which @apollo/gateway reports as SUBGRAPH_BAD_RESPONSE, hiding BAD_USER_INPUT.
          const body = ctx.response.body;
          if (
            ctx.response.http.status === 400 &&
            body.kind === 'single' &&
            body.singleResult.errors?.length &&
            body.singleResult.errors.every((e) => e.extensions?.code === ErrorCode.BAD_USER_INPUT)
          ) {
            ctx.response.http.status = 200;
          }
        },
      };
    },
  };
}

/**
 * The guard for graphql-ws (`useServer({ onSubscribe })`): errors for a subscription with bad input, or
 * undefined to let graphql-ws parse, validate and run it as usual (a syntax error is reported by that path).
 */
export function guardSubscription(payload: {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}): GraphQLError[] | undefined {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch {
    return undefined;
  }
  const found = findBadInput(document, payload.operationName, payload.variables);
  return found.length ? [badInputError(found, nodeGraphQLError())] : undefined;
}

/**
 * graphql-ws accepts onSubscribe errors only if they are `instanceof` the GraphQLError of the graphql build
 * Node resolves for it; a bundler (vitest) may give this file graphql's other (ESM) build, so the class is
 * taken from the same resolution graphql-ws gets.
 */
function nodeGraphQLError(): typeof GraphQLError {
  return (createRequire(import.meta.url)('graphql') as { GraphQLError: typeof GraphQLError }).GraphQLError;
}
