import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisplayStatus, FleetDisplayFilter } from '../../gql/graphql';
import { Button, ErrorNotice, Loading, Page } from '../../ui';
import { CampaignReach } from './CampaignReach';
import { DisplayFinder } from './DisplayFinder';
import { DisplayList, type FleetDisplay } from './DisplayList';
import { fleetSort, nextSort, pageSize, PAGE_SIZES, type FleetSortKey } from './sorting';
import { DisplayStatusBadge, LiveFeedNote, LiveLog } from './parts';
import { StatusFeed, useLiveStatuses, type StatusChange } from './live';
import { useFleetIndex } from './summary';
import { STATUSES, STATUS_LABEL, countByStatus, describeChange, isDisplayStatus, withLive } from './status';

const FleetRegions = graphql(`
  query FleetRegions {
    regions {
      id
      name
      code
    }
  }
`);

export function FleetPage() {
  const [params, setParams] = useSearchParams();
  const regionId = params.get('region') ?? '';
  const search = params.get('q') ?? '';
  const statusParam = params.get('status');
  const campaignId = params.get('campaign');
  const status: DisplayStatus | null = isDisplayStatus(statusParam) ? statusParam : null;

  const setParam = useCallback(
    (name: string, value: string | null) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const onSearch = useCallback((v: string) => setParam('q', v || null), [setParam]);

  // The summary counts the whole filtered fleet; the list narrows it to the chosen status as well.
  const filter = useMemo<FleetDisplayFilter>(
    () => ({ ...(regionId ? { regionId } : {}), ...(search ? { search } : {}) }),
    [regionId, search],
  );
  const listFilter = useMemo<FleetDisplayFilter>(() => (status ? { ...filter, status } : filter), [filter, status]);
  const filterKey = JSON.stringify(listFilter);
  const sort = fleetSort(params.get('sort'), params.get('dir'));
  const size = pageSize(params.get('per'));
  const onSort = useCallback(
    (key: FleetSortKey) => {
      const next = nextSort(sort, key);
      setParams(
        (p) => {
          const q = new URLSearchParams(p);
          q.set('sort', next.key);
          q.set('dir', next.dir);
          return q;
        },
        { replace: true },
      );
    },
    [sort, setParams],
  );

  const [regions] = useQuery({ query: FleetRegions });
  const [generation, setGeneration] = useState(0);
  const fleet = useFleetIndex(filter);

  // Names of the displays on screen (filled as pages load), to put live changes into words.
  const displayNames = useMemo(() => new Map<string, string>(), []);
  const storeOfDisplay = useMemo(() => new Map<string, string>(), []);
  const live = useLiveStatuses(
    useCallback(
      (c: StatusChange) => {
        const name = displayNames.get(c.displayId);
        if (!name) return '';
        return describeChange(name, storeOfDisplay.get(c.displayId), c.status, c.previous);
      },
      [displayNames, storeOfDisplay],
    ),
  );

  const onNames = useCallback(
    (rows: FleetDisplay[]) => {
      for (const d of rows) {
        displayNames.set(d.id, d.name);
        storeOfDisplay.set(d.id, d.store.name);
      }
    },
    [displayNames, storeOfDisplay],
  );

  const counts = useMemo(
    () => countByStatus((fleet.index?.displays ?? []).map((d) => withLive(d, live.overlay))),
    [fleet.index, live.overlay],
  );

  return (
    <Page title="Fleet">
      <div className="fleet">
        <p className="fleet-lede">
          Every store’s displays and how they are doing, updated live as displays come online, go offline or fall behind
          their playlist.
        </p>

        <section className="section" aria-labelledby="fleet-filters-title">
          <h2 id="fleet-filters-title" className="visually-hidden">
            Filters
          </h2>
          <div className="filters fleet-filters">
            <StoreSearch value={search} onChange={onSearch} />
            <div className="field">
              <label htmlFor="fleet-region" className="field-label">
                Region
              </label>
              <select id="fleet-region" value={regionId} onChange={(e) => setParam('region', e.target.value || null)}>
                <option value="">All regions</option>
                {regions.data?.regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.code})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="fleet-status" className="field-label">
                Display status
              </label>
              <select
                id="fleet-status"
                value={status ?? ''}
                onChange={(e) => setParam('status', e.target.value || null)}
              >
                <option value="">Any status</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="fleet-page-size" className="field-label">
                Displays per page
              </label>
              <select
                id="fleet-page-size"
                value={size}
                onChange={(e) => setParam('per', e.target.value === '25' ? null : e.target.value)}
              >
                {PAGE_SIZES.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            <DisplayFinder />
          </div>
        </section>

        <section className="section" aria-labelledby="fleet-summary-title">
          <div className="section-header">
            <h2 id="fleet-summary-title">Summary</h2>
            <div className="row">
              <LiveFeedNote state={live.feed} />
              <Button
                variant="ghost"
                busy={fleet.fetching && !!fleet.index}
                onClick={() => {
                  live.reset();
                  fleet.refresh();
                  setGeneration((g) => g + 1);
                }}
              >
                Refresh
              </Button>
            </div>
          </div>
          {fleet.error ? (
            <ErrorNotice error={fleet.error} />
          ) : !fleet.index ? (
            <Loading />
          ) : (
            <>
              <p className="muted">
                {counts.total} {counts.total === 1 ? 'display' : 'displays'} in {fleet.index.stores}{' '}
                {fleet.index.stores === 1 ? 'store' : 'stores'}
                {regionId || search ? ' matching the filters' : ''}
                {fleet.index.truncated ? ' (the first 5,000 displays)' : ''}. Choose a status to show only those
                displays.
              </p>
              <ul className="fleet-counts" aria-label="Displays by status">
                <li>
                  <button
                    type="button"
                    className="fleet-count"
                    aria-pressed={status === null}
                    onClick={() => setParam('status', null)}
                  >
                    <span className="fleet-count-value">{counts.total}</span>
                    <span className="fleet-count-label">All displays</span>
                  </button>
                </li>
                {STATUSES.map((s) => (
                  <li key={s}>
                    <button
                      type="button"
                      className="fleet-count"
                      data-status={s}
                      data-testid={`fleet-count-${s}`}
                      aria-pressed={status === s}
                      onClick={() => setParam('status', status === s ? null : s)}
                    >
                      <span className="fleet-count-value">{counts[s]}</span>
                      <span className="fleet-count-label">
                        <DisplayStatusBadge status={s} />
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <LiveLog log={live.log} />
        </section>

        {campaignId && (
          <CampaignReach campaignId={campaignId} overlay={live.overlay} onClear={() => setParam('campaign', null)} />
        )}

        <DisplayList
          key={filterKey}
          filter={listFilter}
          sort={sort}
          onSort={onSort}
          size={size}
          overlay={live.overlay}
          generation={generation}
          onRows={onNames}
        />

        <StatusFeed onChange={live.onChange} onState={live.onState} />
        <div
          className="visually-hidden"
          role="status"
          aria-live="polite"
          aria-atomic="true"
          data-testid="fleet-announcer"
        >
          {live.announcement}
        </div>
      </div>
    </Page>
  );
}

/** Display name, store name or code search; applied as you type (after a short pause) or with Enter. */
function StoreSearch({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const t = setTimeout(() => onChange(text.trim()), 350);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <form
      className="field"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim());
      }}
    >
      <label htmlFor="fleet-store-search" className="field-label">
        Display, store or code
      </label>
      <input
        id="fleet-store-search"
        type="search"
        value={text}
        placeholder="e.g. London or Window"
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}
