import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { ErrorNotice } from '../../ui';
import { DisplayStatusBadge } from './parts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FindDisplays = graphql(`
  query FleetFindDisplays($search: String!) {
    displays(first: 8, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id
          name
          status
          store {
            id
            name
          }
        }
      }
    }
  }
`);

const FindDisplayById = graphql(`
  query FleetFindDisplay($id: ID!) {
    display(id: $id) {
      id
      name
      status
      store {
        id
        name
      }
    }
  }
`);

/** Finds a display anywhere in the fleet by (part of) its name, or by its id. */
export function DisplayFinder() {
  const inputId = useId();
  const resultsId = useId();
  const [text, setText] = useState('');
  const [term, setTerm] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setTerm(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text]);

  const byId = UUID.test(term);
  const [named] = useQuery({ query: FindDisplays, variables: { search: term }, pause: !term || byId });
  const [single] = useQuery({ query: FindDisplayById, variables: { id: term }, pause: !byId });

  const found = !term
    ? []
    : byId
      ? single.data?.display
        ? [single.data.display]
        : []
      : (named.data?.displays.edges.map((e) => e.node) ?? []);
  const total = byId ? found.length : (named.data?.displays.totalCount ?? 0);
  const result = byId ? single : named;
  const ready = !!term && !result.fetching && !!result.data;

  return (
    <div className="field fleet-finder">
      <label htmlFor={inputId} className="field-label">
        Find a display (name or id)
      </label>
      <input
        id={inputId}
        type="search"
        value={text}
        autoComplete="off"
        placeholder="e.g. Window left"
        aria-describedby={resultsId}
        onChange={(e) => setText(e.target.value)}
      />
      <div id={resultsId} className="fleet-finder-results" aria-live="polite">
        {result.error && term ? <ErrorNotice error={result.error} /> : null}
        {ready && !found.length ? <p className="muted">No display matches “{term}”.</p> : null}
        {found.length ? (
          <ul>
            {found.map((d) => (
              <li key={d.id}>
                <Link to={`stores/${d.store.id}#display-${d.id}`}>
                  {d.name} — {d.store.name}
                </Link>{' '}
                <DisplayStatusBadge status={d.status} />
              </li>
            ))}
            {total > found.length ? (
              <li className="muted">{total - found.length} more; type more of the name to narrow it down.</li>
            ) : null}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
