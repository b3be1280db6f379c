import { useId, type ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDuration } from '../../ui';
import { axisCount, axisName, hours, shortDay, type DayMetrics } from './dates';
import { formatCount } from './parts';

// The app's palette (SVG attributes do not take CSS variables everywhere).
const PRIMARY = '#1f4fbf';
const ACCENT = '#b34700';
const GRID = '#c9ced6';
const AXIS = '#4f5864';

/**
 * A chart is a picture of the table under it: it is one image for assistive technology, described in words, and the
 * table carries the numbers.
 */
function ChartFigure({
  title,
  summary,
  height,
  children,
}: {
  title: string;
  summary: string;
  height: number;
  children: ReactElement;
}) {
  const captionId = useId();
  return (
    <figure className="report-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      <div role="img" aria-label={`${title}. ${summary}`} className="report-chart-canvas" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function DailyChart({ days }: { days: DayMetrics[] }) {
  // Play time in hours, or in minutes when there is little of it.
  const inHours = Math.max(0, ...days.map((d) => d.playTimeMs)) >= 2 * 3_600_000;
  const unit = inHours ? 'h' : 'min';
  const toUnit = (ms: number) => (inHours ? hours(ms) : Math.round((ms / 60_000) * 10) / 10);
  const data = days.map((d) => ({ label: shortDay(d.day), plays: d.plays, time: toUnit(d.playTimeMs) }));
  const busiest = days.reduce<DayMetrics | null>((a, d) => (!a || d.plays > a.plays ? d : a), null);
  const total = days.reduce((n, d) => n + d.plays, 0);
  const summary = busiest?.plays
    ? `${formatCount(total)} plays over ${days.length} days; the busiest day was ${shortDay(busiest.day)} with ${formatCount(busiest.plays)} plays.`
    : `No plays over ${days.length} days.`;
  return (
    <ChartFigure title="Plays and play time per day" summary={summary} height={300}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
        <XAxis dataKey="label" tick={{ fill: AXIS, fontSize: 12 }} minTickGap={24} tickMargin={6} />
        <YAxis
          yAxisId="plays"
          allowDecimals={false}
          tick={{ fill: AXIS, fontSize: 12 }}
          width={56}
          tickFormatter={axisCount}
          label={{ value: 'Plays', angle: -90, position: 'insideLeft', fill: AXIS, fontSize: 12 }}
        />
        <YAxis
          yAxisId="time"
          orientation="right"
          tick={{ fill: AXIS, fontSize: 12 }}
          width={64}
          tickFormatter={(v: number) => `${v} ${unit}`}
          label={{
            value: inHours ? 'Play time (hours)' : 'Play time (minutes)',
            angle: 90,
            position: 'insideRight',
            fill: AXIS,
            fontSize: 12,
          }}
        />
        <Tooltip
          formatter={(value, name) =>
            name === 'Play time'
              ? [formatDuration(Number(value) * (inHours ? 3_600_000 : 60_000)), name]
              : [formatCount(Number(value)), name]
          }
        />
        <Legend />
        <Bar yAxisId="plays" dataKey="plays" name="Plays" fill={PRIMARY} isAnimationActive={false} />
        <Line
          yAxisId="time"
          dataKey="time"
          name="Play time"
          stroke={ACCENT}
          strokeWidth={2}
          strokeDasharray="6 3"
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFigure>
  );
}

export interface NamedMetrics {
  key: string;
  name: string;
  plays: number;
  playTimeMs: number;
}

/** Plays per store or per campaign, largest first, as horizontal bars (long names stay readable). */
export function RankingChart({ title, rows, limit = 12 }: { title: string; rows: NamedMetrics[]; limit?: number }) {
  const top = [...rows].sort((a, b) => b.plays - a.plays).slice(0, limit);
  const data = top.map((r) => ({ name: r.name, plays: r.plays }));
  const summary = top.length
    ? `${top
        .slice(0, 3)
        .map((r) => `${r.name}: ${formatCount(r.plays)} plays`)
        .join('; ')}${rows.length > 3 ? `; and ${rows.length - 3} more` : ''}.`
    : 'No plays.';
  return (
    <ChartFigure
      title={rows.length > limit ? `${title} (top ${limit})` : title}
      summary={summary}
      height={Math.max(140, 36 * data.length + 60)}
    >
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          allowDecimals={false}
          tick={{ fill: AXIS, fontSize: 12 }}
          tickFormatter={axisCount}
          height={44}
          label={{ value: 'Plays', position: 'insideBottom', fill: AXIS, fontSize: 12 }}
        />
        <YAxis
          type="category"
          dataKey="name"
          width={160}
          tick={{ fill: AXIS, fontSize: 12 }}
          tickFormatter={(name: string) => axisName(name)}
        />
        <Tooltip formatter={(value) => [formatCount(Number(value)), 'Plays']} />
        <Bar dataKey="plays" name="Plays" fill={PRIMARY} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
