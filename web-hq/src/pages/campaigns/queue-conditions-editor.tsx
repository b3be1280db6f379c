import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Button, Field } from '../../ui';
import {
  MAX_QUEUE_CONDITIONS,
  MAX_QUEUE_THRESHOLD,
  newQueueDraft,
  type QueueDraft,
  type QueueErrorKey,
} from './queue-conditions';

// One line by id: anyone with the id may read it, so this works for every role that opens the editor.
const QueueLineNameQuery = graphql(`
  query QueueLineName($id: ID!) {
    line(id: $id) {
      id
      name
      store {
        id
        name
      }
    }
  }
`);

/** "Any line of the display’s store", or the line by name (its id under details when it cannot be read). */
function LineLabel({ lineId }: { lineId: string | null }) {
  const [line] = useQuery({ query: QueueLineNameQuery, variables: { id: lineId ?? '' }, pause: !lineId });
  if (!lineId) return <span className="queue-line">Any line of the display’s store</span>;
  const found = line.data?.line;
  if (found)
    return (
      <span className="queue-line">
        Line {found.name}
        {found.store ? ` (${found.store.name})` : ''}
      </span>
    );
  return (
    <div className="queue-line">
      A specific line
      <details className="queue-line-id">
        <summary>Details</summary>
        Line id <code>{lineId}</code>
        {line.error ? ' (it could not be read)' : ''}. It is kept as it is; HQ cannot choose a line yet.
      </details>
    </div>
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
 * "While the queue is long": the campaign plays only while one of these conditions holds. HQ adds conditions on
 * any line of the display's store; a condition the graph holds for a specific line is shown and kept.
 */
export function QueueConditionsEditor({
  queue,
  onChange,
  errors,
  disabled,
}: {
  queue: readonly QueueDraft[];
  onChange: (queue: QueueDraft[]) => void;
  errors: Partial<Record<QueueErrorKey, string>>;
  disabled: boolean;
}) {
  const update = (i: number, patch: Partial<QueueDraft>) =>
    onChange(queue.map((d, j) => (j === i ? { ...d, ...patch } : d)));
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
                <LineLabel lineId={d.lineId} />
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
