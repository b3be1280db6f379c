import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { SearchKind } from '../../gql/graphql';
import { Button, Empty, ErrorNotice, Loading, Page, StatusBadge } from '../../ui';
import { parseKinds, SEARCH_KINDS, snippetParts, type SearchKindValue } from './search-text';
import './search.css';

const SearchQuery = graphql(`
  query HqSearch($query: String!, $kinds: [SearchKind!], $first: Int!) {
    search(query: $query, kinds: $kinds, first: $first) {
      kind
      id
      title
      snippet
      aemPath
      source {
        id
        name
      }
      campaign {
        id
        name
        status
      }
      creative {
        id
        name
        status
        kind
      }
    }
  }
`);

const PAGE = 50;

/** Search results: campaigns, creatives made from AEM and AEM content, best first, with where the words matched. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const kinds = parseKinds(params.get('kinds'));
  const [result] = useQuery({
    query: SearchQuery,
    variables: { query: q, kinds: kinds.length ? (kinds as SearchKind[]) : null, first: PAGE },
    pause: !q,
  });
  const hits = result.data?.search;
  const toggle = (kind: SearchKindValue) => {
    const next = kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
    setParams(new URLSearchParams({ q, ...(next.length ? { kinds: next.join(',') } : {}) }));
  };

  return (
    <Page
      title="Search"
      description={q ? `Results for “${q}”` : 'Campaigns, creatives made from AEM and AEM content, by their words.'}
    >
      <fieldset className="chips search-kinds">
        <legend>What to search</legend>
        {SEARCH_KINDS.map((k) => (
          <label key={k.kind} className="checkbox">
            <input type="checkbox" checked={kinds.includes(k.kind)} onChange={() => toggle(k.kind)} />
            {k.label}
          </label>
        ))}
        <span className="muted">None ticked: everything.</span>
      </fieldset>
      {!q ? (
        <Empty title="Type words in the search field above.">
          Every word must match; use "quotes" for a phrase, -word to leave one out, or for either. AEM content is
          searchable once someone has browsed it in the campaign editor.
        </Empty>
      ) : null}
      <ErrorNotice error={result.error} />
      {result.fetching && !hits ? <Loading label="Searching…" /> : null}
      {q && hits && hits.length === 0 ? <Empty title={`Nothing matches “${q}”.`} /> : null}
      {hits && hits.length > 0 ? (
        <ol className="search-results" aria-label="Search results" data-testid="search-results">
          {hits.map((h) => (
            <li key={`${h.kind}:${h.id}`} className="search-hit" data-kind={h.kind}>
              <span className="badge badge--neutral search-kind">
                {SEARCH_KINDS.find((k) => k.kind === h.kind)?.label ?? h.kind}
              </span>
              <div className="search-hit-body">
                {h.campaign ? (
                  <Link to={`/campaigns/${h.campaign.id}`} className="search-title">
                    {h.campaign.name ?? h.title}
                  </Link>
                ) : (
                  <span className="search-title">{h.creative?.name ?? h.title}</span>
                )}
                {h.snippet ? (
                  <span className="search-snippet">
                    {snippetParts(h.snippet).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
                  </span>
                ) : null}
                <span className="row muted">
                  {h.campaign ? <StatusBadge status={h.campaign.status} /> : null}
                  {h.creative ? <StatusBadge status={h.creative.status} /> : null}
                  {h.source ? <span>AEM source {h.source.name}</span> : null}
                  {h.aemPath ? <span className="search-path">{h.aemPath}</span> : null}
                </span>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {hits && hits.length === PAGE ? (
        <p className="muted">The best {PAGE} are shown; add words to narrow the search.</p>
      ) : null}
      {q ? (
        <Button variant="ghost" onClick={() => setParams(new URLSearchParams())}>
          Clear the search
        </Button>
      ) : null}
    </Page>
  );
}
