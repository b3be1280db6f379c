import type { SearchDocument, SearchHitRecord, SearchIndex, SearchKind, SearchRequest } from './search.index.js';

/** What it needs of Postgres: the subgraph's TypeORM data source, or a pg client in tests. */
export interface SqlRunner {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/** Search in the content schema's `search_document`: a tsvector kept by Postgres, a GIN index, web-search syntax. */
export class PostgresSearchIndex implements SearchIndex {
  readonly name = 'postgres';
  private readonly table: string;

  constructor(
    private readonly db: SqlRunner,
    schema: string,
  ) {
    this.table = `"${schema}"."search_document"`;
  }

  async upsert(docs: readonly SearchDocument[], options: { onlyNew?: boolean } = {}): Promise<void> {
    const onConflict = options.onlyNew
      ? 'DO NOTHING'
      : `DO UPDATE
           SET "title" = EXCLUDED."title", "body" = EXCLUDED."body", "source_id" = EXCLUDED."source_id",
               "path" = EXCLUDED."path", "updated_at" = EXCLUDED."updated_at"
           WHERE t."updated_at" <= EXCLUDED."updated_at"`;
    for (const d of docs) {
      // An older state (a late event, a slower read) never replaces a newer one.
      await this.db.query(
        `INSERT INTO ${this.table} AS t ("tenant_id", "kind", "ref_id", "title", "body", "source_id", "path", "updated_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT ("tenant_id", "kind", "ref_id") ${onConflict}`,
        [d.tenantId, d.kind, d.refId, d.title, d.body, d.sourceId, d.path, d.updatedAt],
      );
    }
  }

  async remove(tenantId: string, kind: SearchKind, refId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.table} WHERE "tenant_id" = $1 AND "kind" = $2 AND "ref_id" = $3`, [
      tenantId,
      kind,
      refId,
    ]);
  }

  async search(r: SearchRequest): Promise<SearchHitRecord[]> {
    const rows = (await this.db.query(
      `SELECT "kind", "ref_id", "title", "source_id", "path", ts_rank_cd("document", q) AS score,
              to_tsvector('simple', "body") @@ q AS body_hit,
              ts_headline('simple', "body", q, 'MaxFragments=1, MaxWords=18, MinWords=6, StartSel=«, StopSel=»') AS snippet
         FROM ${this.table}, websearch_to_tsquery('simple', $2) AS q
        WHERE "tenant_id" = $1 AND "document" @@ q AND ($3::text[] IS NULL OR "kind" = ANY($3::text[]))
        ORDER BY score DESC, "title" ASC, "ref_id" ASC
        LIMIT $4`,
      [r.tenantId, r.text, r.kinds?.length ? [...r.kinds] : null, r.first],
    )) as {
      kind: SearchKind;
      ref_id: string;
      title: string;
      source_id: string | null;
      path: string | null;
      score: number;
      snippet: string | null;
      body_hit: boolean;
    }[];
    return rows.map((row) => ({
      kind: row.kind,
      refId: row.ref_id,
      title: row.title,
      sourceId: row.source_id,
      path: row.path,
      score: Number(row.score),
      snippet: row.body_hit ? row.snippet : null,
    }));
  }

  async close(): Promise<void> {
    // The data source belongs to the subgraph.
  }
}
