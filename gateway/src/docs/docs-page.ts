import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { quickStart } from './quick-start.js';

/** Where the pages live on the gateway's origin (the explorer and the SDL beside the page). */
export const DOCS_PATH = '/docs';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Descriptions are Markdown by the spec; we keep their paragraphs and `code`, and escape everything else. */
function prose(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escape(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');
}

const anchor = (type: GraphQLNamedType) => `type-${type.name}`;

/** A type reference as written in SDL, its named type linked to its section (built-in scalars are not). */
function typeRef(type: GraphQLType): string {
  if (isNonNullType(type)) return `${typeRef(type.ofType)}!`;
  if (isListType(type)) return `[${typeRef(type.ofType)}]`;
  const named = type as GraphQLNamedType;
  return isSpecifiedScalarType(named)
    ? `<code>${named.name}</code>`
    : `<a href="#${anchor(named)}"><code>${named.name}</code></a>`;
}

function argumentsTable(args: readonly GraphQLArgument[]): string {
  if (!args.length) return '';
  const rows = args
    .map(
      (a) =>
        `<tr><td><code>${a.name}</code></td><td>${typeRef(a.type)}</td>` +
        `<td>${a.defaultValue !== undefined ? `<code>${escape(JSON.stringify(a.defaultValue))}</code>` : ''}</td>` +
        `<td>${prose(a.description)}</td></tr>`,
    )
    .join('');
  return `<table class="args"><thead><tr><th>Argument</th><th>Type</th><th>Default</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function deprecation(reason: string | null | undefined): string {
  return reason ? `<p class="deprecated">Deprecated: ${escape(reason)}</p>` : '';
}

// Examples: a document a partner can paste into the explorer, with variables for required arguments.

const MAX_SELECTIONS = 8;
const MAX_DEPTH = 3;

/** A selection of the type's leaf fields (and, while depth allows, of its object fields), for examples. */
function selection(type: GraphQLOutputType, depth: number, indent: string): string | undefined {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named)) return `{\n${indent}  __typename\n${indent}}`;
  if (!isObjectType(named) && !isInterfaceType(named)) return undefined;
  const lines: string[] = [];
  const fields = Object.values(named.getFields()).filter((f) => !f.args.some((a) => isNonNullType(a.type)));
  for (const field of fields.filter((f) => isLeafType(getNamedType(f.type)))) {
    if (lines.length >= MAX_SELECTIONS) break;
    lines.push(`${indent}  ${field.name}`);
  }
  if (depth < MAX_DEPTH) {
    for (const field of fields.filter((f) => !isLeafType(getNamedType(f.type)))) {
      if (lines.length >= MAX_SELECTIONS) break;
      const inner = selection(field.type, depth + 1, `${indent}  `);
      if (inner) lines.push(`${indent}  ${field.name} ${inner}`);
    }
  }
  return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : undefined;
}

/** A plausible value for a variable of this type, so the example runs once the ids are real. */
function exampleValue(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return exampleValue(type.ofType, depth);
  if (isListType(type)) return [exampleValue(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    if (depth > 2) return {};
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) {
        value[field.name] = exampleValue(field.type, depth + 1);
      }
    }
    return value;
  }
  switch (type.name) {
    case 'Int':
      return 10;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'ID':
      return '00000000-0000-4000-8000-000000000000';
    case 'DateTime':
    case 'DateTimeISO':
      return '2025-01-01T00:00:00.000Z';
    default:
      return '…';
  }
}

export interface OperationExample {
  document: string;
  variables?: Record<string, unknown>;
}

/** An example operation for one root field: its required arguments as variables and a selection of its result. */
export function exampleOperation(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
): OperationExample | undefined {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const body = selection(field.type, 1, '  ');
  if (body === undefined) return undefined;
  const name = field.name.charAt(0).toUpperCase() + field.name.slice(1);
  const declared = required.length ? `(${required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')})` : '';
  const passed = required.length ? `(${required.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const document = `${kind} ${name}${declared} {\n  ${field.name}${passed}${body ? ` ${body}` : ''}\n}`;
  if (!required.length) return { document };
  return { document, variables: Object.fromEntries(required.map((a) => [a.name, exampleValue(a.type)])) };
}

function operationSection(kind: 'query' | 'mutation' | 'subscription', root: GraphQLObjectType | null | undefined) {
  if (!root) return '';
  const title = { query: 'Queries', mutation: 'Mutations', subscription: 'Subscriptions' }[kind];
  const fields = Object.values(root.getFields()).sort((a, b) => a.name.localeCompare(b.name));
  const items = fields
    .map((field) => {
      const example = exampleOperation(kind, field);
      const variables = example?.variables
        ? `<pre><code>${escape(JSON.stringify(example.variables, null, 2))}</code></pre>`
        : '';
      return (
        `<section class="operation" id="${kind}-${field.name}">` +
        `<h3><code>${field.name}</code>: ${typeRef(field.type)}</h3>` +
        prose(field.description) +
        deprecation(field.deprecationReason) +
        argumentsTable(field.args) +
        (example
          ? `<details><summary>Example</summary><pre><code>${escape(example.document)}</code></pre>${variables}</details>`
          : '') +
        '</section>'
      );
    })
    .join('');
  return `<section id="${kind}"><h2>${title}</h2>${items}</section>`;
}

const KIND_ORDER = ['Objects', 'Interfaces', 'Unions', 'Enums', 'Input objects', 'Scalars'] as const;

function kindOf(type: GraphQLNamedType): (typeof KIND_ORDER)[number] {
  if (isObjectType(type)) return 'Objects';
  if (isInterfaceType(type)) return 'Interfaces';
  if (isUnionType(type)) return 'Unions';
  if (isEnumType(type)) return 'Enums';
  if (isInputObjectType(type)) return 'Input objects';
  return 'Scalars';
}

function typeSection(type: GraphQLNamedType): string {
  let body = '';
  if (isObjectType(type) || isInterfaceType(type)) {
    const interfaces = type.getInterfaces();
    if (interfaces.length) body += `<p>Implements ${interfaces.map((i) => typeRef(i)).join(', ')}</p>`;
    const rows = Object.values(type.getFields())
      .map(
        (f) =>
          `<tr><td><code>${f.name}</code>${f.args.length ? ` <small>(${f.args.map((a) => `${a.name}: ${typeRef(a.type)}`).join(', ')})</small>` : ''}</td>` +
          `<td>${typeRef(f.type)}</td><td>${prose(f.description)}${deprecation(f.deprecationReason)}</td></tr>`,
      )
      .join('');
    body += `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
  } else if (isInputObjectType(type)) {
    const rows = Object.values(type.getFields())
      .map(
        (f) =>
          `<tr><td><code>${f.name}</code></td><td>${typeRef(f.type)}</td>` +
          `<td>${f.defaultValue !== undefined ? `<code>${escape(JSON.stringify(f.defaultValue))}</code>` : ''}</td>` +
          `<td>${prose(f.description)}</td></tr>`,
      )
      .join('');
    body += `<table><thead><tr><th>Field</th><th>Type</th><th>Default</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
  } else if (isEnumType(type)) {
    const rows = type
      .getValues()
      .map(
        (v) =>
          `<tr><td><code>${v.name}</code></td><td>${prose(v.description)}${deprecation(v.deprecationReason)}</td></tr>`,
      )
      .join('');
    body += `<table><thead><tr><th>Value</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
  } else if (isUnionType(type)) {
    body += `<p>One of ${type
      .getTypes()
      .map((t) => typeRef(t))
      .join(', ')}</p>`;
  } else if (isScalarType(type) && type.specifiedByURL) {
    body += `<p>Specified by <code>${escape(type.specifiedByURL)}</code></p>`;
  }
  return `<section class="type" id="${anchor(type)}"><h3><code>${type.name}</code></h3>${prose(type.description)}${body}</section>`;
}

/** Types a partner can meet: the contract's own, without introspection's and the built-in scalars. */
function documentedTypes(schema: GraphQLSchema): GraphQLNamedType[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && !isSpecifiedScalarType(t) && !roots.has(t as GraphQLObjectType))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The developer page for the partners' public contract, rendered on the server from the contract's API
 * schema (what partner tokens are served): the quick start, every root field with its arguments and an
 * example, and every type. Nothing outside the contract can appear, since nothing else is in the schema.
 */
export function renderDocsPage(schema: GraphQLSchema): string {
  const types = documentedTypes(schema);
  const byKind = KIND_ORDER.map((kind) => ({ kind, types: types.filter((t) => kindOf(t) === kind) })).filter(
    (g) => g.types.length,
  );
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  const firstQuery = schema.getQueryType() && pickMain(schema.getQueryType()!);
  const firstSubscription = schema.getSubscriptionType() && pickMain(schema.getSubscriptionType()!);
  const nav =
    `<nav><a href="#quick-start">Quick start</a>` +
    roots
      .filter(([, root]) => root)
      .map(
        ([kind]) =>
          `<a href="#${kind}">${{ query: 'Queries', mutation: 'Mutations', subscription: 'Subscriptions' }[kind]}</a>`,
      )
      .join('') +
    `<a href="#types">Types</a><a href="${DOCS_PATH}/explorer">Explorer</a><a href="${DOCS_PATH}/schema.graphql">SDL</a></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Personalisation Hub: partner API</title>
<link rel="stylesheet" href="${DOCS_PATH}/assets/docs.css">
</head>
<body>
<header><h1>Personalisation Hub: partner API</h1>${nav}</header>
<main>
${quickStart({
  query: firstQuery ? exampleOperation('query', firstQuery) : undefined,
  subscription: firstSubscription ? exampleOperation('subscription', firstSubscription) : undefined,
})}
${roots.map(([kind, root]) => operationSection(kind, root)).join('\n')}
<section id="types"><h2>Types</h2>
${byKind.map((g) => `<h3 class="kind">${g.kind}</h3>${g.types.map(typeSection).join('')}`).join('\n')}
</section>
</main>
</body>
</html>
`;
}

/** The root field a quick start shows: one without required arguments if there is one. */
function pickMain(root: GraphQLObjectType): GraphQLField<unknown, unknown> | undefined {
  const fields = Object.values(root.getFields());
  const isConnection = (f: GraphQLField<unknown, unknown>) => getNamedType(f.type).name.endsWith('Connection');
  return (
    fields.find((f) => isConnection(f) && !f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) ??
    fields.find((f) => !f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) ??
    fields[0]
  );
}
