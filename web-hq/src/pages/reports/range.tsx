import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button } from '../../ui';
import { daysBetween, isDay, lastDays, longDay, rangeProblem } from './dates';

export interface DateRange {
  from: string;
  to: string;
}

const PRESETS = [7, 30, 90] as const;

/** The report's date range, kept in the address (`?from=&to=`) so a report can be shared; default the last 30 days. */
export function useDateRange(): [DateRange, (r: DateRange) => void] {
  const [params, setParams] = useSearchParams();
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const range = useMemo<DateRange>(() => {
    if (isDay(fromParam) && isDay(toParam) && !rangeProblem(fromParam, toParam))
      return { from: fromParam, to: toParam };
    return lastDays(30);
  }, [fromParam, toParam]);
  const setRange = useCallback(
    (r: DateRange) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.set('from', r.from);
          next.set('to', r.to);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [range, setRange];
}

/** Two date fields (store-local days, inclusive) and quick ranges. A valid change applies at once. */
export function DateRangePicker({ value, onChange }: { value: DateRange; onChange: (r: DateRange) => void }) {
  const [from, setFrom] = useState(value.from);
  const [to, setTo] = useState(value.to);
  useEffect(() => {
    setFrom(value.from);
    setTo(value.to);
  }, [value.from, value.to]);
  const problem = rangeProblem(from, to);
  const errorId = useId();
  const fromId = useId();
  const toId = useId();

  const update = (f: string, t: string) => {
    setFrom(f);
    setTo(t);
    if (!rangeProblem(f, t)) onChange({ from: f, to: t });
  };

  return (
    <fieldset className="report-range">
      <legend>Period (each store’s own days, inclusive)</legend>
      <div className="report-range-fields">
        <div className="field">
          <label htmlFor={fromId} className="field-label">
            From
          </label>
          <input
            id={fromId}
            type="date"
            value={from}
            max={to || undefined}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            onChange={(e) => update(e.target.value, to)}
          />
        </div>
        <div className="field">
          <label htmlFor={toId} className="field-label">
            To
          </label>
          <input
            id={toId}
            type="date"
            value={to}
            min={from || undefined}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            onChange={(e) => update(from, e.target.value)}
          />
        </div>
        <div className="report-range-presets" role="group" aria-label="Quick ranges">
          {PRESETS.map((n) => {
            const r = lastDays(n);
            const active = r.from === value.from && r.to === value.to;
            return (
              <Button
                key={n}
                variant={active ? 'primary' : 'secondary'}
                aria-pressed={active}
                onClick={() => update(r.from, r.to)}
              >
                Last {n} days
              </Button>
            );
          })}
        </div>
      </div>
      {problem ? (
        <p id={errorId} className="field-error" role="alert">
          {problem}
        </p>
      ) : (
        <p className="muted report-range-summary">
          {longDay(value.from)} – {longDay(value.to)} · {daysBetween(value.from, value.to)} days
        </p>
      )}
    </fieldset>
  );
}
