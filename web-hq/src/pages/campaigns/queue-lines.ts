import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient, type AnyVariables, type CombinedError, type TypedDocumentNode } from 'urql';
import { graphql } from '../../gql';
import { describeLine, type LineNamer, type QueueCondition, type QueueLine } from './queue-conditions';

// What the editor and the summaries need of a line: its name, its store's name, and whether it is archived.
export const QueueLineFieldsFragment = graphql(`
  fragment QueueLineFields on Line {
    id
    name
    storeId
    archivedAt
    store {
      id
      name
    }
  }
`);

const StoreQueueLinesQuery = graphql(`
  query StoreQueueLines($storeId: ID!) {
    queueLines(storeId: $storeId) {
      ...QueueLineFields
    }
  }
`);

// One line by id: anyone with the id may read it, so this works for every role that opens the editor or a summary.
const QueueLineQuery = graphql(`
  query QueueLine($id: ID!) {
    line(id: $id) {
      ...QueueLineFields
    }
  }
`);

interface Settled<Data> {
  key: string;
  results: { data?: Data; error?: CombinedError }[];
}

/**
 * One query per variables (the graph answers lines one store or one id at a time), run together; keyed by the
 * variables' JSON, so a new array with the same content asks nothing. The last settled answers stay (with their key)
 * while new ones load, so a choice on screen does not blink; urql's cache shares the answers between rows and pages.
 */
function useEach<Data, Vars extends AnyVariables>(query: TypedDocumentNode<Data, Vars>, list: readonly Vars[]) {
  const client = useClient();
  const key = JSON.stringify(list);
  const [settled, setSettled] = useState<Settled<Data>>({ key: '[]', results: [] });
  useEffect(() => {
    let cancelled = false;
    const all = JSON.parse(key) as Vars[];
    void Promise.all(all.map((v) => client.query(query, v).toPromise())).then((results) => {
      if (!cancelled) setSettled({ key, results: results.map((r) => ({ data: r.data, error: r.error })) });
    });
    return () => {
      cancelled = true;
    };
  }, [client, query, key]);
  return settled;
}

/** The lines of these stores (archived ones too: the editor decides what to offer), and the first error. */
export function useStoreLines(storeIds: readonly string[]) {
  const { results } = useEach(
    StoreQueueLinesQuery,
    storeIds.map((storeId) => ({ storeId })),
  );
  const lines = useMemo(() => results.flatMap((r) => r.data?.queueLines ?? []), [results]);
  return { lines, error: results.find((r) => r.error)?.error };
}

/** Lines by id: the line, or null when it cannot be read (deleted, say); absent while loading. */
export function useLinesById(ids: readonly string[]): ReadonlyMap<string, QueueLine | null> {
  const { results, key } = useEach(
    QueueLineQuery,
    [...new Set(ids)].sort().map((id) => ({ id })),
  );
  return useMemo(() => {
    const asked = JSON.parse(key) as { id: string }[];
    return new Map(asked.map(({ id }, i) => [id, results[i]?.data?.line ?? null]));
  }, [key, results]);
}

/** Names the lines these conditions choose ('line “Returns” of London Oxford Street'), for describeTargeting. */
export function useLineNamer(...conditions: (readonly QueueCondition[] | null | undefined)[]): LineNamer {
  const byId = useLinesById(conditions.flatMap((list) => (list ?? []).flatMap((c) => (c.lineId ? [c.lineId] : []))));
  return useCallback(
    (id: string) => {
      const line = byId.get(id);
      return line ? describeLine(line) : undefined;
    },
    [byId],
  );
}
