import {
  Kind,
  visit,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type TypeNode,
} from 'graphql';

/** The tag that puts a type or field in the partners' contract (`@Public()` in the kit). */
export const PUBLIC_TAG = 'public';

/** The contract supergraph's file name, beside the full supergraph (`pnpm compose` writes both). */
export const PUBLIC_SUPERGRAPH_FILE = 'public-supergraph.graphql';

export interface ContractService {
  name: string;
  typeDefs: DocumentNode;
  url: string;
}

const isPublic = (node: { directives?: readonly ConstDirectiveNode[] }) =>
  (node.directives ?? []).some(
    (d) =>
      d.name.value === 'tag' &&
      d.arguments?.some((a) => a.name.value === 'name' && a.value.kind === Kind.STRING && a.value.value === PUBLIC_TAG),
  );

const PUBLIC_DIRECTIVE: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'tag' },
  arguments: [
    {
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: 'name' },
      value: { kind: Kind.STRING, value: PUBLIC_TAG },
    },
  ],
};

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

/** The kit's relay wrappers (`ConnectionType`): they carry nothing of their own, so they follow the field. */
const isPagination = (name: string) => name === 'PageInfo' || /.(Connection|Edge)$/.test(name);

type Tagged<T> = T & { directives?: readonly ConstDirectiveNode[] };
const withTag = <T extends { directives?: readonly ConstDirectiveNode[] }>(node: T): T =>
  isPublic(node) ? node : { ...node, directives: [...(node.directives ?? []), PUBLIC_DIRECTIVE] };

/**
 * Apollo's contract rules ask for a tag on every argument, input type, enum and scalar a partner may use;
 * ours derive them, so code tags only what it means to publish — object types and their fields:
 * - the arguments of a public field are public;
 * - input objects, enums and custom scalars a public field or argument reaches are public in whole
 *   (they describe input shapes and values, nothing a partner could read);
 * - so are the kit's pagination wrappers (`…Connection`, `…Edge`, `PageInfo`) a public field returns.
 * Object types are never made public this way: a public field returning an untagged object type fails
 * composition ("… is @inaccessible but is referenced by …"), which is the reminder to tag it on purpose.
 */
export function derivePublicTags(document: DocumentNode): DocumentNode {
  const definitions = new Map<string, DefinitionNode>();
  for (const d of document.definitions) if ('name' in d && d.name) definitions.set(d.name.value, d);
  const derived = new Set<string>();
  const reach = (name: string) => {
    if (derived.has(name)) return;
    const definition = definitions.get(name);
    if (definition?.kind === Kind.OBJECT_TYPE_DEFINITION && isPagination(name)) {
      derived.add(name);
      for (const field of definition.fields ?? []) reach(namedType(field.type));
      return;
    }
    if (
      !definition ||
      (definition.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION &&
        definition.kind !== Kind.ENUM_TYPE_DEFINITION &&
        definition.kind !== Kind.SCALAR_TYPE_DEFINITION)
    ) {
      return;
    }
    derived.add(name);
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      for (const field of definition.fields ?? []) reach(namedType(field.type));
    }
  };
  for (const d of document.definitions) {
    if (
      d.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      d.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      d.kind !== Kind.INTERFACE_TYPE_DEFINITION
    ) {
      continue;
    }
    const typePublic = isPublic(d);
    for (const field of d.fields ?? []) {
      if (!typePublic && !isPublic(field)) continue;
      reach(namedType(field.type));
      for (const arg of field.arguments ?? []) reach(namedType(arg.type));
    }
  }
  const publicArguments = <T extends Tagged<{ fields?: readonly FieldDefinitionNode[] }>>(node: T): T => ({
    ...node,
    fields: node.fields?.map((field) =>
      isPublic(node) || isPublic(field) ? { ...field, arguments: field.arguments?.map(withTag) } : field,
    ),
  });
  return visit(document, {
    ObjectTypeExtension: publicArguments,
    InterfaceTypeDefinition: publicArguments,
    ObjectTypeDefinition: (node) => publicArguments(derived.has(node.name.value) ? withTag(node) : node),
    InputObjectTypeDefinition: (node) => (derived.has(node.name.value) ? withTag(node) : undefined),
    EnumTypeDefinition: (node) => (derived.has(node.name.value) ? withTag(node) : undefined),
    ScalarTypeDefinition: (node) => (derived.has(node.name.value) ? withTag(node) : undefined),
  });
}

/**
 * The partners' contract supergraph: every subgraph filtered to what is tagged `public` (the rest
 * `@inaccessible`, types left unreachable hidden too) and composed, by GraphQL Hive's open-source
 * implementation of Apollo's contract rules (@theguild/federation-composition). It is a supergraph like
 * the full one — the same subgraphs and keys, so plans may still use hidden key fields — whose API
 * schema is the contract; the gateway serves it to partner tokens.
 */
export async function composePublicContract(
  services: ContractService[],
): Promise<{ supergraphSdl?: string; errors?: string[] }> {
  // Loaded here, not with the module: composing is `pnpm compose`'s work, and a serving gateway never pays its memory.
  const { composeSchemaContract } = await import('@theguild/federation-composition');
  const tagged = services.map((s) => ({ ...s, typeDefs: derivePublicTags(s.typeDefs) }));
  const result = composeSchemaContract(tagged, { include: new Set([PUBLIC_TAG]), exclude: new Set() }, true);
  if (result.errors) return { errors: result.errors.map((e) => e.message) };
  return { supergraphSdl: result.supergraphSdl };
}
