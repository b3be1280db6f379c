import { Button, ErrorNotice, Field } from '../../ui';
import {
  MAX_QUEUE_CONDITIONS,
  MAX_QUEUE_THRESHOLD,
  lineGroups,
  newQueueDraft,
  type LineGroup,
  type QueueDraft,
  type QueueErrorKey,
  type QueueLine,
} from './queue-conditions';
import { useLinesById, useStoreLines } from './queue-lines';

/** What the line choice says under it: where a chosen line counts, or how to get lines to choose from. */
function lineHint(lineId: string | null, line: QueueLine | null | undefined, storeName: string, noStores: boolean) {
  if (lineId && line)
    return `Counts only on the displays of ${storeName}${line.archivedAt ? '; the line is archived and takes no new tickets' : ''}.`;
  if (lineId && line === null)
    return 'This line could not be read (deleted, or not yours to see); it is kept as it is.';
  if (noStores)
    return 'A specific line can be chosen once the campaign targets a store (an include rule of kind Store).';
  return undefined;
}

/**
 * "Any line of the display's store", or one line of the stores offered, grouped by store. A current line that is
 * not offered (archived, of a store the targeting no longer names, or unreadable) stays as an option of its own.
 */
function LineChoice({
  index,
  lineId,
  line,
  groups,
  storeName,
  disabled,
  onChange,
}: {
  index: number;
  lineId: string | null;
  /** The chosen line: null when it cannot be read, undefined while loading */
  line: QueueLine | null | undefined;
  groups: readonly LineGroup[];
  storeName: (storeId: string) => string;
  disabled: boolean;
  onChange: (lineId: string | null) => void;
}) {
  const offered = !!lineId && groups.some((g) => g.lines.some((l) => l.id === lineId));
  const lineStore = line ? (line.store?.name ?? storeName(line.storeId)) : '';
  // A current line not offered (archived, or of a store not targeted) shows under its store all the same.
  const own =
    line && !offered ? (
      <option value={line.id}>
        {line.name}
        {line.archivedAt ? ' (archived)' : ''}
      </option>
    ) : null;
  const ownGroup = own && groups.some((g) => g.storeId === line?.storeId) ? line?.storeId : undefined;
  return (
    <>
      <Field label="Line" hint={lineHint(lineId, line, lineStore, !groups.length)}>
        {(props) => (
          <select
            {...props}
            name={`queue.${index}.lineId`}
            value={lineId ?? ''}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value || null)}
          >
            <option value="">Any line of the display’s store</option>
            {lineId && !offered && !line ? (
              <option value={lineId}>{line === null ? 'A line that could not be read' : 'A specific line…'}</option>
            ) : null}
            {own && !ownGroup ? <optgroup label={`${lineStore} (not targeted)`}>{own}</optgroup> : null}
            {groups.map((g) => (
              <optgroup key={g.storeId} label={g.lines[0]?.store?.name ?? storeName(g.storeId)}>
                {g.storeId === ownGroup ? own : null}
                {g.lines.length || g.storeId === ownGroup ? (
                  g.lines.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name}
                    </option>
                  ))
                ) : (
                  <option value={`none:${g.storeId}`} disabled>
                    No lines to choose
                  </option>
                )}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      {lineId && line === null ? (
        <details className="queue-line-id">
          <summary>Details</summary>
          Line id <code>{lineId}</code>
        </details>
      ) : null}
    </>
  );
}

/** A threshold input; the condition's own error ("set one of the two") describes both inputs of its row. */
function Threshold({
  label,
  name,
  value,
  error,
  rowError,
  disabled,
  onChange,
}: {
  label: string;
  name: string;
  value: string;
  error?: string;
  /** The id of the row's error, when it has one */
  rowError?: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} error={error}>
      {(props) => (
        <input
          {...props}
          aria-describedby={[props['aria-describedby'], rowError].filter(Boolean).join(' ') || undefined}
          aria-invalid={props['aria-invalid'] ?? (rowError ? true : undefined)}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_QUEUE_THRESHOLD}
          step={1}
          name={name}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * "While the queue is long": the campaign plays only while one of these conditions holds. Each condition watches
 * any line of the display's store, or one line of a store the campaign targets.
 */
export function QueueConditionsEditor({
  queue,
  onChange,
  errors,
  disabled,
  storeIds,
  storeName,
}: {
  queue: readonly QueueDraft[];
  onChange: (queue: QueueDraft[]) => void;
  errors: Partial<Record<QueueErrorKey, string>>;
  disabled: boolean;
  /** The stores whose lines are offered (queueStoreIds) */
  storeIds: readonly string[];
  storeName: (storeId: string) => string;
}) {
  const update = (i: number, patch: Partial<QueueDraft>) =>
    onChange(queue.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const stores = useStoreLines(storeIds);
  const groups = lineGroups(storeIds, stores.lines);
  const known = new Map(stores.lines.map((l) => [l.id, l]));
  // Chosen lines the offered stores do not hold (another store's, or gone) are read one by one to name them.
  const byId = useLinesById(queue.flatMap((d) => (d.lineId && !known.has(d.lineId) ? [d.lineId] : [])));
  return (
    <fieldset className="queue-conditions" aria-describedby="queue-conditions-hint">
      <legend>While the queue is long</legend>
      <p id="queue-conditions-hint" className="field-hint">
        With conditions, the campaign plays only while one of them holds: its line is open and reaches every number set
        (the wait is the estimate for someone joining now). Without, the queue does not matter.
      </p>
      {queue.length ? (
        <ol className="queue-condition-list" aria-label="Queue conditions">
          {queue.map((d, i) => (
            <li key={i} className="queue-condition" aria-label={`Queue condition ${i + 1}`}>
              <div className="queue-condition-head">
                <span className="queue-condition-title">Condition {i + 1}</span>
                {!disabled ? (
                  <Button
                    variant="ghost"
                    className="button--small"
                    aria-label={`Remove queue condition ${i + 1}`}
                    onClick={() => onChange(queue.filter((_, j) => j !== i))}
                  >
                    Remove
                  </Button>
                ) : null}
              </div>
              <LineChoice
                index={i}
                lineId={d.lineId}
                line={d.lineId ? (known.get(d.lineId) ?? byId.get(d.lineId)) : undefined}
                groups={groups}
                storeName={storeName}
                disabled={disabled}
                onChange={(lineId) => update(i, { lineId })}
              />
              <div className="cols-2">
                <Threshold
                  label="People waiting, at least"
                  name={`queue.${i}.minWaiting`}
                  value={d.minWaiting}
                  error={errors[`queue.${i}.minWaiting`]}
                  rowError={errors[`queue.${i}`] ? `queue-condition-${i}-error` : undefined}
                  disabled={disabled}
                  onChange={(minWaiting) => update(i, { minWaiting })}
                />
                <Threshold
                  label="Minutes of wait, at least"
                  name={`queue.${i}.minWaitMinutes`}
                  value={d.minWaitMinutes}
                  error={errors[`queue.${i}.minWaitMinutes`]}
                  rowError={errors[`queue.${i}`] ? `queue-condition-${i}-error` : undefined}
                  disabled={disabled}
                  onChange={(minWaitMinutes) => update(i, { minWaitMinutes })}
                />
              </div>
              {errors[`queue.${i}`] ? (
                <p id={`queue-condition-${i}-error`} className="field-error">
                  {errors[`queue.${i}`]}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No queue conditions.</p>
      )}
      {errors.queue ? <p className="field-error">{errors.queue}</p> : null}
      <ErrorNotice error={stores.error} />
      {!disabled ? (
        queue.length < MAX_QUEUE_CONDITIONS ? (
          <Button onClick={() => onChange([...queue, newQueueDraft()])}>Add a queue condition</Button>
        ) : (
          <p className="field-hint">At most {MAX_QUEUE_CONDITIONS} queue conditions.</p>
        )
      ) : null}
    </fieldset>
  );
}
