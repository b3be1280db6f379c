import { daypartsToGrid, gridToDayparts, isGridEmpty, type Daypart, type DaypartGrid } from './daypart-grid';
import {
  queueDrafts,
  queueErrorKey,
  queueInput,
  validateQueue,
  type QueueCondition,
  type QueueDraft,
  type QueueErrorKey,
} from './queue-conditions';
import { emptyTargeting, toTargetingInput, type Rule, type Targeting } from './targeting';

/** What the editor holds; converted to CreateCampaignInput / UpdateCampaignInput on save. */
export interface CampaignForm {
  name: string;
  description: string;
  /** Store-local campaign (store managers) */
  storeId: string;
  priority: string;
  weight: string;
  startDate: string;
  endDate: string;
  /** Exact instants (datetime-local in the browser's zone; '' for none): a launch at 09:30 London time, say */
  startsAt: string;
  endsAt: string;
  allDay: boolean;
  grid: DaypartGrid;
  /** False when the stored dayparts are not on the hour (the grid rounds them out) */
  gridExact: boolean;
  maxPlaysPerHour: string;
  targeting: Targeting;
  /** Context marketing: plays only while one of these holds (none = always) */
  queue: QueueDraft[];
  /** The layout region it plays in on displays with a layout ('' = the main region) */
  layoutRegion: string;
  creativeIds: string[];
}

export interface CampaignLike {
  name: string;
  description?: string | null;
  storeId?: string | null;
  priority: number;
  weight: number;
  schedule: {
    startDate?: string | null;
    endDate?: string | null;
    startsAt?: string | null;
    endsAt?: string | null;
    dayparts: readonly Daypart[];
    maxPlaysPerHour?: number | null;
  };
  targeting: {
    include: readonly Rule[];
    exclude: readonly Rule[];
    queue?: readonly QueueCondition[] | null;
    layoutRegion?: string | null;
  };
  creativeIds: readonly string[];
}

export function newForm(storeId = ''): CampaignForm {
  return {
    name: '',
    description: '',
    storeId,
    priority: '0',
    weight: '1',
    startDate: '',
    endDate: '',
    startsAt: '',
    endsAt: '',
    allDay: true,
    grid: daypartsToGrid([]).grid,
    gridExact: true,
    maxPlaysPerHour: '',
    targeting: emptyTargeting(),
    queue: [],
    layoutRegion: '',
    creativeIds: [],
  };
}

export function formFromCampaign(c: CampaignLike): CampaignForm {
  const { grid, exact } = daypartsToGrid(c.schedule.dayparts);
  return {
    name: c.name,
    description: c.description ?? '',
    storeId: c.storeId ?? '',
    priority: String(c.priority),
    weight: String(c.weight),
    startDate: c.schedule.startDate ?? '',
    endDate: c.schedule.endDate ?? '',
    startsAt: toLocalInput(c.schedule.startsAt),
    endsAt: toLocalInput(c.schedule.endsAt),
    allDay: c.schedule.dayparts.length === 0,
    grid,
    gridExact: exact,
    maxPlaysPerHour: c.schedule.maxPlaysPerHour == null ? '' : String(c.schedule.maxPlaysPerHour),
    targeting: toTargetingInput(c.targeting),
    queue: queueDrafts(c.targeting.queue),
    layoutRegion: c.targeting.layoutRegion ?? '',
    creativeIds: [...c.creativeIds],
  };
}

export type FormErrors = Partial<
  Record<
    | 'name'
    | 'priority'
    | 'weight'
    | 'endDate'
    | 'endsAt'
    | 'grid'
    | 'maxPlaysPerHour'
    | 'storeId'
    | 'layoutRegion'
    | QueueErrorKey,
    string
  >
>;

const isInt = (s: string) => /^-?\d+$/.test(s.trim());
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateForm(f: CampaignForm, opts: { storeRequired?: boolean } = {}): FormErrors {
  const e: FormErrors = {};
  if (!f.name.trim()) e.name = 'Enter a name.';
  else if (f.name.trim().length > 200) e.name = 'Use at most 200 characters.';
  if (!isInt(f.priority)) e.priority = 'Enter a whole number.';
  if (!isInt(f.weight) || Number(f.weight) < 1) e.weight = 'Enter a whole number of at least 1.';
  if (f.startDate && !DATE.test(f.startDate)) e.endDate = 'Use dates as YYYY-MM-DD.';
  if (f.endDate && !DATE.test(f.endDate)) e.endDate = 'Use dates as YYYY-MM-DD.';
  else if (f.startDate && f.endDate && f.endDate < f.startDate) e.endDate = 'The end date is before the start date.';
  const startsAt = fromLocalInput(f.startsAt);
  const endsAt = fromLocalInput(f.endsAt);
  if ((f.startsAt && !startsAt) || (f.endsAt && !endsAt)) e.endsAt = 'Enter a date and a time.';
  else if (startsAt && endsAt && endsAt <= startsAt) e.endsAt = 'The end is not after the start.';
  if (!f.allDay && isGridEmpty(f.grid)) e.grid = 'Select at least one hour, or choose “All day, every day”.';
  if (f.maxPlaysPerHour && (!isInt(f.maxPlaysPerHour) || Number(f.maxPlaysPerHour) < 1))
    e.maxPlaysPerHour = 'Enter a whole number of at least 1, or leave it empty.';
  if (opts.storeRequired && !f.storeId) e.storeId = 'Choose the store this campaign plays in.';
  if (f.layoutRegion.trim() && !/^[a-z][a-z0-9-]{0,31}$/.test(f.layoutRegion.trim().toLowerCase()))
    e.layoutRegion = 'Use a region’s name: letters, digits and dashes, starting with a letter.';
  return { ...e, ...validateQueue(f.queue) };
}

export function scheduleInput(f: CampaignForm) {
  return {
    startDate: f.startDate || null,
    endDate: f.endDate || null,
    startsAt: fromLocalInput(f.startsAt),
    endsAt: fromLocalInput(f.endsAt),
    dayparts: f.allDay ? [] : gridToDayparts(f.grid).map((p) => ({ days: [...p.days], from: p.from, to: p.to })),
    maxPlaysPerHour: f.maxPlaysPerHour ? Number(f.maxPlaysPerHour) : null,
  };
}

/** The common fields of CreateCampaignInput and UpdateCampaignInput. */
export function campaignInput(f: CampaignForm) {
  return {
    name: f.name.trim(),
    description: f.description.trim() || null,
    priority: Number(f.priority),
    weight: Number(f.weight),
    schedule: scheduleInput(f),
    targeting: {
      ...toTargetingInput(f.targeting),
      queue: queueInput(f.queue),
      layoutRegion: f.layoutRegion.trim().toLowerCase() || null,
    },
    creativeIds: [...f.creativeIds],
  };
}

const SERVER_FIELDS = ['name', 'priority', 'weight', 'endDate', 'maxPlaysPerHour', 'storeId', 'layoutRegion'];

/**
 * The graph's BAD_USER_INPUT field paths (input.name, input.schedule.endDate, input.targeting.queue.0.minWaiting,
 * targeting.queue[1]…) as form error keys, with their messages.
 */
export function formErrorsFromFields(fields: Record<string, string>): FormErrors {
  const out: FormErrors = {};
  for (const [path, message] of Object.entries(fields)) {
    const queue = queueErrorKey(path);
    if (queue) {
      out[queue] = message;
      continue;
    }
    const leaf = path.split('.').pop() ?? '';
    if (SERVER_FIELDS.includes(leaf)) out[leaf as keyof FormErrors] = message;
    if (leaf === 'dayparts') out.grid = message;
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant (ISO) as a datetime-local value in the browser's time zone; '' for none. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (the browser's time zone) as an ISO instant; null when empty or not a date and time. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
