import { useRef, useState, type KeyboardEvent } from 'react';
import { Button, Field, Notice } from '../../ui';
import type { CampaignForm, FormErrors } from './campaign-form';
import {
  HOURS,
  WEEKDAYS,
  WEEKDAY_NAMES,
  describeDayparts,
  emptyGrid,
  fullGrid,
  gridToDayparts,
  isGridEmpty,
  paint,
  type DaypartGrid,
} from './daypart-grid';

const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/**
 * The weekly grid, one toggle per day and hour (store-local time). Keyboard: one tab stop, arrows move,
 * Space/Enter toggles; the mouse paints by dragging.
 */
export function DaypartGridEditor({
  grid,
  onChange,
  disabled,
  describedBy,
}: {
  grid: DaypartGrid;
  onChange: (grid: DaypartGrid) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  const [focus, setFocus] = useState({ day: 0, hour: 9 });
  const painting = useRef<{ value: boolean; from: { day: number; hour: number }; base: DaypartGrid } | null>(null);
  const cells = useRef<Record<string, HTMLButtonElement | null>>({});

  const moveFocus = (day: number, hour: number) => {
    const next = { day: (day + 7) % 7, hour: (hour + HOURS) % HOURS };
    setFocus(next);
    cells.current[`${next.day}:${next.hour}`]?.focus();
  };

  const onKeyDown = (e: KeyboardEvent, day: number, hour: number) => {
    const moves: Record<string, [number, number]> = {
      ArrowRight: [day, hour + 1],
      ArrowLeft: [day, hour - 1],
      ArrowDown: [day + 1, hour],
      ArrowUp: [day - 1, hour],
      Home: [day, 0],
      End: [day, HOURS - 1],
    };
    const to = moves[e.key];
    if (to) {
      e.preventDefault();
      moveFocus(to[0], to[1]);
    }
  };

  const endPaint = () => {
    painting.current = null;
  };

  return (
    <div className="table-wrap" onPointerUp={endPaint} onPointerLeave={endPaint}>
      <table className="daypart-grid" aria-label="Weekly hours (store-local time)" aria-describedby={describedBy}>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Day</span>
            </th>
            {Array.from({ length: HOURS }, (_, h) => (
              <th key={h} scope="col" aria-label={hourLabel(h)}>
                {h % 3 === 0 ? String(h).padStart(2, '0') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day, d) => (
            <tr key={day}>
              <th scope="row">
                <abbr title={WEEKDAY_NAMES[day]}>{WEEKDAY_NAMES[day].slice(0, 3)}</abbr>
              </th>
              {grid[d]!.map((on, h) => (
                <td key={h}>
                  <button
                    ref={(el) => {
                      cells.current[`${d}:${h}`] = el;
                    }}
                    type="button"
                    role="switch"
                    className="daypart-cell"
                    aria-checked={on}
                    aria-label={`${WEEKDAY_NAMES[day]} ${hourLabel(h)} to ${h === 23 ? '24:00' : hourLabel(h + 1)}`}
                    tabIndex={focus.day === d && focus.hour === h ? 0 : -1}
                    disabled={disabled}
                    onFocus={() => setFocus({ day: d, hour: h })}
                    onKeyDown={(e) => onKeyDown(e, d, h)}
                    onPointerDown={(e) => {
                      if (e.pointerType !== 'mouse') return;
                      e.preventDefault();
                      painting.current = { value: !on, from: { day: d, hour: h }, base: grid };
                      onChange(paint(grid, { day: d, hour: h }, { day: d, hour: h }, !on));
                    }}
                    onPointerEnter={() => {
                      const p = painting.current;
                      if (p) onChange(paint(p.base, p.from, { day: d, hour: h }, p.value));
                    }}
                    onClick={(e) => {
                      // Keyboard and touch toggle here; a mouse press already painted.
                      if ((e.nativeEvent as PointerEvent).pointerType === 'mouse') return;
                      onChange(paint(grid, { day: d, hour: h }, { day: d, hour: h }, !on));
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ScheduleEditor({
  form,
  set,
  errors,
  disabled,
  timeZoneNote,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  errors: FormErrors;
  disabled: boolean;
  timeZoneNote: string;
}) {
  return (
    <fieldset disabled={disabled} style={{ border: 'none', padding: 0, margin: 0 }}>
      <div className="cols-3">
        <Field label="Start date" hint="Store-local, from midnight">
          <input type="date" value={form.startDate} onChange={(e) => set({ startDate: e.target.value })} />
        </Field>
        <Field label="End date" hint="Store-local, through the end of the day" error={errors.endDate}>
          <input
            type="date"
            value={form.endDate}
            min={form.startDate || undefined}
            onChange={(e) => set({ endDate: e.target.value })}
          />
        </Field>
        <Field label="Max plays per hour" hint="Empty: no cap" error={errors.maxPlaysPerHour}>
          <input
            type="number"
            inputMode="numeric"
            min={1}
            value={form.maxPlaysPerHour}
            onChange={(e) => set({ maxPlaysPerHour: e.target.value })}
          />
        </Field>
      </div>
      <div className="cols-3">
        <Field label="Starts at (exact)" hint="Optional: an instant, in your browser’s time zone">
          <input type="datetime-local" value={form.startsAt} onChange={(e) => set({ startsAt: e.target.value })} />
        </Field>
        <Field label="Ends at (exact)" hint="Optional: it stops at this instant" error={errors.endsAt}>
          <input
            type="datetime-local"
            value={form.endsAt}
            min={form.startsAt || undefined}
            onChange={(e) => set({ endsAt: e.target.value })}
          />
        </Field>
      </div>
      <fieldset>
        <legend>When it plays each week</legend>
        <div className="row">
          <label className="checkbox">
            <input type="radio" name="allDay" checked={form.allDay} onChange={() => set({ allDay: true })} />
            All day, every day
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="allDay"
              checked={!form.allDay}
              onChange={() =>
                set({ allDay: false, grid: form.grid.every((d) => d.every(Boolean)) ? emptyGrid() : form.grid })
              }
            />
            Only at these hours
          </label>
        </div>
        {!form.allDay ? (
          <div className="stack" style={{ marginTop: 12 }}>
            <p id="daypart-help" className="field-hint">
              {timeZoneNote} Arrow keys move, Space toggles an hour; drag with the mouse to paint.
            </p>
            {!form.gridExact ? (
              <Notice kind="warning">
                Some saved windows do not start or end on the hour; the grid shows every hour they touch.
              </Notice>
            ) : null}
            <DaypartGridEditor
              grid={form.grid}
              onChange={(grid) => set({ grid, gridExact: true })}
              disabled={disabled}
              describedBy="daypart-help"
            />
            {errors.grid ? <p className="field-error">{errors.grid}</p> : null}
            <div className="row">
              <Button
                className="button--small"
                onClick={() => set({ grid: paint(emptyGrid(), { day: 0, hour: 9 }, { day: 4, hour: 16 }, true) })}
              >
                Weekdays 9–17
              </Button>
              <Button
                className="button--small"
                onClick={() => set({ grid: paint(emptyGrid(), { day: 5, hour: 0 }, { day: 6, hour: 23 }, true) })}
              >
                Weekends
              </Button>
              <Button className="button--small" onClick={() => set({ grid: fullGrid() })}>
                Select all
              </Button>
              <Button className="button--small" onClick={() => set({ grid: emptyGrid() })}>
                Clear
              </Button>
            </div>
            <p className="muted" aria-live="polite">
              Plays: {isGridEmpty(form.grid) ? 'never (no hour selected)' : describeDayparts(gridToDayparts(form.grid))}
            </p>
          </div>
        ) : null}
      </fieldset>
    </fieldset>
  );
}
