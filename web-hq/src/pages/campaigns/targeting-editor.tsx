import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { OrientationWarning, type CreativeShape } from './orientation-warning';
import { QueueConditionsEditor } from './queue-conditions-editor';
import { queueStoreIds, type QueueDraft, type QueueErrorKey } from './queue-conditions';
import type { QueueConditionInput, ScheduleInput } from '../../gql/graphql';
import { Button, ErrorNotice, Field, useDebounced } from '../../ui';
import {
  RULE_KINDS,
  addRule,
  removeRule,
  ruleKindLabel,
  targetingKey,
  toTargetingInput,
  type Rule,
  type RuleKind,
  type Targeting,
} from './targeting';

const TargetingOptionsQuery = graphql(`
  query TargetingOptions {
    regions {
      id
      name
    }
    stores(first: 100) {
      edges {
        node {
          id
          name
          tags
          zones {
            id
            name
          }
        }
      }
    }
    displays(first: 100) {
      totalCount
      edges {
        node {
          id
          name
          tags
          store {
            id
            name
          }
        }
      }
    }
  }
`);

const DisplaySearchQuery = graphql(`
  query DisplaySearch($search: String) {
    displays(first: 20, filter: { search: $search }) {
      edges {
        node {
          id
          name
          store {
            id
            name
          }
        }
      }
    }
  }
`);

// Its own query: segments are HQ's (a store manager's editor still loads the rest).
const SegmentOptionsQuery = graphql(`
  query SegmentOptions {
    segments {
      id
      key
      name
      size
    }
  }
`);

const ReachQuery = graphql(`
  query CampaignReachNow($input: CampaignReachInput!) {
    campaignReachNow(input: $input) {
      asIfLive
      matchingCount
      playingCount
      outrankedCount
      matchingDisplays {
        id
        orientation
      }
    }
  }
`);

/** Names for rule values that are ids (regions, stores, displays), from the options the editor loaded. */
export function useRuleNames(): (r: Rule) => string {
  const [options] = useQuery({ query: TargetingOptionsQuery });
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const r of options.data?.regions ?? []) names.set(`REGION:${r.id}`, r.name);
    for (const { node } of options.data?.stores.edges ?? []) {
      names.set(`STORE:${node.id}`, node.name);
      for (const z of node.zones) {
        names.set(`ZONE:${z.id}`, `${z.name} (${node.name})`);
        names.set(`PROXIMITY_ZONE:${z.id}`, `${z.name} (${node.name})`);
      }
    }
    for (const { node } of options.data?.displays.edges ?? [])
      names.set(`DISPLAY:${node.id}`, `${node.name} (${node.store.name})`);
    return (r: Rule) =>
      names.get(`${r.kind}:${r.value}`) ?? (r.kind === 'ORIENTATION' ? r.value.toLowerCase() : r.value);
  }, [options.data]);
}

/**
 * Live reach of the campaign as edited (debounced): displays its targeting matches, where it would play now and
 * where a higher priority outranks it — the engine's one computation, as the list, fleet and reports show it.
 */
export function ReachCount({
  targeting,
  storeId,
  campaignId,
  priority,
  schedule,
  queue,
  creatives,
}: {
  targeting: Targeting;
  storeId?: string;
  campaignId?: string;
  priority?: string;
  schedule?: ScheduleInput | null;
  /** Queue conditions as edited (null while the form has errors: reach then ignores them) */
  queue?: readonly QueueConditionInput[] | null;
  /** The campaign's creatives as edited, for the orientation warning */
  creatives?: readonly CreativeShape[];
}) {
  const rank = /^-?\d+$/.test(priority?.trim() ?? '') ? Number(priority) : 0;
  const live =
    targetingKey(targeting) + (storeId ?? '') + `|${rank}|${JSON.stringify(schedule ?? null)}|${JSON.stringify(queue)}`;
  const key = useDebounced(live, 400);
  const variables = useMemo(
    () => ({
      input: {
        targeting: { ...toTargetingInput(targeting), queue: [...(queue ?? [])] },
        storeId: storeId || null,
        campaignId: campaignId ?? null,
        priority: rank,
        schedule: schedule ?? null,
      },
    }),
    // The debounced key stands for the targeting and priority: refetch only when they have settled.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const [result] = useQuery({ query: ReachQuery, variables, requestPolicy: 'network-only' });
  const reach = result.data?.campaignReachNow;
  const count = reach?.matchingCount;
  const settling = key !== live || result.fetching;
  return (
    <div className="stack">
      <div className="reach" aria-live="polite" aria-busy={settling || undefined}>
        <span
          className="reach-count"
          data-testid="reach-count"
          data-settled={!settling && count !== undefined ? 'true' : 'false'}
        >
          {count ?? '…'}
        </span>
        <span>{count === 1 ? 'display matches' : 'displays match'} this targeting now</span>
      </div>
      {reach && reach.matchingCount > 0 ? (
        <p className="reach-split" data-testid="reach-split">
          Would play now on <strong>{reach.playingCount}</strong>
          {reach.outrankedCount ? (
            <>
              ; outranked by a higher priority on <strong>{reach.outrankedCount}</strong>
            </>
          ) : null}
          {reach.matchingCount - reach.playingCount - reach.outrankedCount > 0
            ? `; not due now on ${reach.matchingCount - reach.playingCount - reach.outrankedCount} (${queue?.length ? 'schedule, pause or queue' : 'schedule or pause'})`
            : ''}
          .
        </p>
      ) : null}
      {reach && !settling ? <OrientationWarning displays={reach.matchingDisplays} creatives={creatives ?? []} /> : null}
      <ErrorNotice error={result.error} />
    </div>
  );
}

function RuleList({
  side,
  rules,
  names,
  disabled,
  onRemove,
}: {
  side: 'include' | 'exclude';
  rules: readonly Rule[];
  names: (r: Rule) => string;
  disabled: boolean;
  onRemove: (r: Rule) => void;
}) {
  if (!rules.length)
    return (
      <p className="muted">
        {side === 'include' ? 'No include rules: every display (of the store) is in.' : 'No exclude rules.'}
      </p>
    );
  return (
    <ul className="rules" aria-label={side === 'include' ? 'Include rules' : 'Exclude rules'}>
      {rules.map((r) => (
        <li key={`${r.kind}:${r.value}`} className={`rule rule--${side}`}>
          <span className="rule-kind">{ruleKindLabel(r.kind)}</span>
          <span>{names(r)}</span>
          {!disabled ? (
            <Button
              variant="ghost"
              className="button--small"
              aria-label={`Remove ${side} rule ${ruleKindLabel(r.kind)} ${names(r)}`}
              onClick={() => onRemove(r)}
            >
              ×
            </Button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** A rule being composed: its kind, then a value picked from the tenant's regions, stores, displays or tags. */
function AddRule({ onAdd }: { onAdd: (side: 'include' | 'exclude', rule: Rule) => void }) {
  const [kind, setKind] = useState<RuleKind>('DISPLAY_TAG');
  const [value, setValue] = useState('');
  const [displaySearch, setDisplaySearch] = useState('');
  const q = useDebounced(displaySearch.trim(), 300);
  const [options] = useQuery({ query: TargetingOptionsQuery });
  const [displays] = useQuery({
    query: DisplaySearchQuery,
    variables: { search: q || null },
    pause: kind !== 'DISPLAY',
  });
  const [segments] = useQuery({ query: SegmentOptionsQuery, pause: kind !== 'SEGMENT' });

  const storeTags = useMemo(
    () => [...new Set(options.data?.stores.edges.flatMap((e) => e.node.tags) ?? [])].sort(),
    [options.data],
  );
  const displayTags = useMemo(
    () => [...new Set(options.data?.displays.edges.flatMap((e) => e.node.tags) ?? [])].sort(),
    [options.data],
  );

  const valueControl = () => {
    switch (kind) {
      case 'REGION':
        return (
          <Field label="Region">
            <select value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose a region…</option>
              {options.data?.regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
        );
      case 'STORE':
        return (
          <Field label="Store">
            <select value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose a store…</option>
              {options.data?.stores.edges.map(({ node }) => (
                <option key={node.id} value={node.id}>
                  {node.name}
                </option>
              ))}
            </select>
          </Field>
        );
      case 'DISPLAY':
        return (
          <>
            <Field label="Find a display" hint="By display name">
              <input type="search" value={displaySearch} onChange={(e) => setDisplaySearch(e.target.value)} />
            </Field>
            <Field label="Display">
              <select value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">Choose a display…</option>
                {displays.data?.displays.edges.map(({ node }) => (
                  <option key={node.id} value={node.id}>
                    {node.name} — {node.store.name}
                  </option>
                ))}
              </select>
            </Field>
          </>
        );
      case 'ZONE':
      case 'PROXIMITY_ZONE':
        return (
          <Field label="Zone" hint={RULE_KINDS.find((k) => k.kind === kind)?.hint}>
            <select value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose a zone…</option>
              {options.data?.stores.edges
                .filter(({ node }) => node.zones.length)
                .map(({ node }) => (
                  <optgroup key={node.id} label={node.name}>
                    {node.zones.map((z) => (
                      <option key={z.id} value={z.id}>
                        {z.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
            </select>
          </Field>
        );
      case 'SEGMENT':
        return (
          <>
            <Field label="Visitor segment" hint={RULE_KINDS.find((k) => k.kind === kind)?.hint}>
              <select value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">Choose a segment…</option>
                {segments.data?.segments.map((s) => (
                  <option key={s.id} value={s.key}>
                    {s.name} ({s.size} {s.size === 1 ? 'visitor' : 'visitors'})
                  </option>
                ))}
              </select>
            </Field>
            <ErrorNotice error={segments.error} />
          </>
        );
      case 'ORIENTATION':
        return (
          <Field label="Orientation">
            <select value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose…</option>
              <option value="LANDSCAPE">Landscape</option>
              <option value="PORTRAIT">Portrait</option>
            </select>
          </Field>
        );
      default: {
        const tags = kind === 'STORE_TAG' ? storeTags : displayTags;
        const listId = `${kind.toLowerCase()}-suggestions`;
        return (
          <Field label={ruleKindLabel(kind)} hint={tags.length ? `In use: ${tags.slice(0, 8).join(', ')}` : undefined}>
            <input
              type="text"
              list={listId}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              autoComplete="off"
            />
          </Field>
        );
      }
    }
  };

  const tags = kind === 'STORE_TAG' ? storeTags : kind === 'DISPLAY_TAG' ? displayTags : [];
  const add = (side: 'include' | 'exclude') => {
    onAdd(side, { kind, value });
    setValue('');
  };
  return (
    <fieldset>
      <legend>Add a rule</legend>
      <div className="cols-3">
        <Field label="Rule kind">
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as RuleKind);
              setValue('');
            }}
          >
            {RULE_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
        <div>{valueControl()}</div>
        <div className="row" style={{ alignSelf: 'end', marginBottom: 12 }}>
          <Button variant="primary" disabled={!value.trim()} onClick={() => add('include')}>
            Include
          </Button>
          <Button disabled={!value.trim()} onClick={() => add('exclude')}>
            Exclude
          </Button>
        </div>
      </div>
      {tags.length ? (
        <datalist id={`${kind.toLowerCase()}-suggestions`}>
          {tags.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      ) : null}
      <ErrorNotice error={options.error} />
    </fieldset>
  );
}

export function TargetingEditor({
  targeting,
  onChange,
  queue,
  onQueueChange,
  errors,
  disabled,
  storeId,
  campaignId,
  priority,
  schedule,
  reachQueue,
  savedReach,
  creatives,
}: {
  targeting: Targeting;
  onChange: (t: Targeting) => void;
  /** Queue conditions as edited (context marketing) */
  queue: readonly QueueDraft[];
  onQueueChange: (queue: QueueDraft[]) => void;
  errors: Partial<Record<QueueErrorKey, string>>;
  disabled: boolean;
  storeId?: string;
  /** The campaign being edited and its priority as typed, for "would play now" and "outranked" */
  campaignId?: string;
  priority?: string;
  /** The schedule as edited (null while the form has errors: reach then ignores it) */
  schedule?: ScheduleInput | null;
  /** The queue conditions as sent on save (null while the form has errors) */
  reachQueue?: readonly QueueConditionInput[] | null;
  /** Shown instead of the live count for roles that may not ask campaignReach (store staff) */
  savedReach?: number;
  /** The campaign's creatives as edited: a warning names those that suit no matched display's orientation */
  creatives?: readonly CreativeShape[];
}) {
  const names = useRuleNames();
  return (
    <div className="grid-2">
      <div>
        <h3>Include</h3>
        <p className="field-hint">A display must match every kind listed, and any one value within a kind.</p>
        <RuleList
          side="include"
          rules={targeting.include}
          names={names}
          disabled={disabled}
          onRemove={(r) => onChange(removeRule(targeting, 'include', r))}
        />
        <h3>Exclude</h3>
        <p className="field-hint">A display matching any of these is left out.</p>
        <RuleList
          side="exclude"
          rules={targeting.exclude}
          names={names}
          disabled={disabled}
          onRemove={(r) => onChange(removeRule(targeting, 'exclude', r))}
        />
        {!disabled ? <AddRule onAdd={(side, rule) => onChange(addRule(targeting, side, rule))} /> : null}
        <QueueConditionsEditor
          queue={queue}
          onChange={onQueueChange}
          errors={errors}
          disabled={disabled}
          storeIds={queueStoreIds(targeting.include, storeId)}
          storeName={(value) => names({ kind: 'STORE', value })}
        />
      </div>
      {savedReach === undefined ? (
        <ReachCount
          targeting={targeting}
          storeId={storeId}
          campaignId={campaignId}
          priority={priority}
          schedule={schedule}
          queue={reachQueue}
          creatives={creatives}
        />
      ) : (
        <div className="reach">
          <span className="reach-count" data-testid="reach-count">
            {savedReach}
          </span>
          <span>{savedReach === 1 ? 'display matches' : 'displays match'} this targeting</span>
        </div>
      )}
    </div>
  );
}
