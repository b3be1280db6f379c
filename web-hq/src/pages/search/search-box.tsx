import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { parseKinds } from './search-text';
import './search.css';

/** Where a search goes: /search?q=…[&kinds=…]. */
export const searchHref = (q: string, kinds: readonly string[] = []) =>
  `/search?${new URLSearchParams({ q, ...(kinds.length ? { kinds: kinds.join(',') } : {}) }).toString()}`;

/** The banner's search field (HQ roles): it opens the search page with the words typed. */
export function SearchBox() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void navigate(searchHref(text.trim(), parseKinds(params.get('kinds'))));
  };
  return (
    <form role="search" aria-label="Search HQ" className="banner-search" onSubmit={submit}>
      <label htmlFor="banner-search" className="visually-hidden">
        Search campaigns, creatives and AEM content
      </label>
      <input
        id="banner-search"
        type="search"
        name="q"
        placeholder="Search…"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="button button--ghost">
        Search
      </button>
    </form>
  );
}
