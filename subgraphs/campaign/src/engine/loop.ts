import type { ItemContent } from './creative.js';
import type { PlaylistItem } from './types.js';
import { playlistVersion } from './version.js';
import { HOUR_MS } from './zone-clock.js';

/** Most turns one loop cycle has before weights are scaled down (weights 999:1000 would be 1,999). */
export const MAX_CYCLE_TURNS = 1_000;
/** Most items a loop may grow to when uncapped campaigns repeat to honour a cap. */
export const MAX_LOOP_ITEMS = 10_000;

/** One campaign of the winning priority tier, with its turn's items already in the display's locale. */
export interface LoopMember {
  readonly campaignId: string;
  readonly weight: number;
  readonly maxPlaysPerHour: number | null;
  readonly items: readonly ItemContent[];
}

/** How a member fared in the loop. */
export interface MemberStats {
  readonly campaignId: string;
  /** Turns per cycle from the weights alone. */
  readonly weightTurns: number;
  /** Turns per cycle after caps were applied. */
  readonly turns: number;
  /** Item plays per cycle. */
  readonly plays: number;
  readonly playsPerHour: number;
  readonly maxPlaysPerHour: number | null;
  readonly capMet: boolean;
}

/** One slot of a loop: which member plays which content. */
export interface LoopEntry {
  readonly member: number;
  readonly content: ItemContent;
}

/** A built loop: its entries in play order, its duration, its version and each member's share. */
export interface Loop {
  readonly entries: readonly LoopEntry[];
  readonly durationMs: number;
  /** The playlist version of these entries (validity instants are not part of a version). */
  readonly version: string;
  readonly stats: readonly MemberStats[];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Weights reduced by their common divisor and, beyond MAX_CYCLE_TURNS in total, scaled down (each keeps one). */
export function cycleTurns(weights: readonly number[]): number[] {
  const divisor = weights.reduce((g, w) => gcd(g, w), 0) || 1;
  const reduced = weights.map((w) => w / divisor);
  const total = reduced.reduce((s, w) => s + w, 0);
  if (total <= MAX_CYCLE_TURNS) return reduced;
  // One turn each, the rest shared in proportion (rounded down): the total stays within the limit.
  const rest = Math.max(0, MAX_CYCLE_TURNS - reduced.length);
  return reduced.map((w) => 1 + Math.floor((w * rest) / total));
}

/** Smooth weighted round-robin (as nginx does): each member appears `turns[i]` times, spread evenly. */
export function smoothRoundRobin(turns: readonly number[]): number[] {
  const total = turns.reduce((s, t) => s + t, 0);
  const current = turns.map(() => 0);
  const order: number[] = [];
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let i = 0; i < turns.length; i++) {
      current[i]! += turns[i]!;
      if (best < 0 || current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    order.push(best);
  }
  return order;
}

/**
 * Builds the loop of one priority tier.
 *
 * Each member gets turns in proportion to its weight (smooth round-robin: weights 2:1 give A B A), and each
 * turn plays all of its creatives in order. A member with `maxPlaysPerHour` must satisfy
 * plays × 3,600,000 / loopDurationMs ≤ cap, where plays counts its items in the loop. To get there:
 * 1. the member furthest over its cap loses one turn, again and again, but never its last turn;
 * 2. a member still over its cap with one turn is diluted: the uncapped members' turns are multiplied by the
 *    smallest factor that brings every capped member within its cap (a loop grows to MAX_LOOP_ITEMS at most).
 * When no uncapped member exists the cap cannot be met without content the tier does not have: the member
 * keeps one turn and its stats say `capMet: false` (a cap never silences a campaign).
 */
export function buildLoop(members: readonly LoopMember[]): Loop {
  const weightTurns = cycleTurns(members.map((m) => m.weight));
  const turns = [...weightTurns];
  const turnMs = members.map((m) => m.items.reduce((s, item) => s + item.durationMs, 0));
  const perTurn = members.map((m) => m.items.length);
  const loopMs = (): number => turns.reduce((s, t, i) => s + t * turnMs[i]!, 0);
  const over = (i: number, duration: number): boolean => {
    const cap = members[i]!.maxPlaysPerHour;
    return cap != null && turns[i]! * perTurn[i]! * HOUR_MS > cap * duration;
  };

  for (;;) {
    const duration = loopMs();
    let worst = -1;
    let worstRate = 0;
    members.forEach((m, i) => {
      if (turns[i]! <= 1 || !over(i, duration)) return;
      const rate = (turns[i]! * perTurn[i]!) / m.maxPlaysPerHour!;
      if (rate > worstRate) [worst, worstRate] = [i, rate];
    });
    if (worst < 0) break;
    turns[worst]! -= 1;
  }

  const fillers = members.flatMap((m, i) => (m.maxPlaysPerHour == null && turnMs[i]! > 0 ? [i] : []));
  const duration = loopMs();
  const violators = members.flatMap((_, i) => (over(i, duration) ? [i] : []));
  if (violators.length > 0 && fillers.length > 0) {
    const fillerMs = fillers.reduce((s, i) => s + turns[i]! * turnMs[i]!, 0);
    const fixedMs = duration - fillerMs;
    let factor = 1;
    for (const i of violators) {
      const cap = members[i]!.maxPlaysPerHour!;
      const needed = Math.ceil((turns[i]! * perTurn[i]! * HOUR_MS - cap * fixedMs) / (cap * fillerMs));
      factor = Math.max(factor, needed);
    }
    const fillerItems = fillers.reduce((s, i) => s + turns[i]! * perTurn[i]!, 0);
    const fixedItems = members.reduce((s, _, i) => s + turns[i]! * perTurn[i]!, 0) - fillerItems;
    factor = Math.max(1, Math.min(factor, Math.floor((MAX_LOOP_ITEMS - fixedItems) / fillerItems)));
    for (const i of fillers) turns[i]! *= factor;
  }

  const finalMs = loopMs();
  const entries: LoopEntry[] = [];
  for (const member of smoothRoundRobin(turns)) {
    for (const content of members[member]!.items) entries.push({ member, content });
  }
  const stats = members.map((m, i): MemberStats => {
    const plays = turns[i]! * perTurn[i]!;
    const playsPerHour = finalMs > 0 ? (plays * HOUR_MS) / finalMs : 0;
    return {
      campaignId: m.campaignId,
      weightTurns: weightTurns[i]!,
      turns: turns[i]!,
      plays,
      playsPerHour,
      maxPlaysPerHour: m.maxPlaysPerHour,
      capMet: m.maxPlaysPerHour == null || plays * HOUR_MS <= m.maxPlaysPerHour * finalMs,
    };
  });
  const version = playlistVersion(
    entries.map((e) => ({ campaignId: members[e.member]!.campaignId, overrideId: null, ...e.content })),
  );
  return { entries, durationMs: finalMs, version, stats };
}

/** The playlist items of a loop, each with its member's validity horizon. */
export function loopItems(
  loop: Loop,
  campaignIds: readonly string[],
  validUntil: readonly (Date | null)[],
): PlaylistItem[] {
  return loop.entries.map(({ member, content }) => ({
    campaignId: campaignIds[member]!,
    overrideId: null,
    creativeId: content.creativeId,
    url: content.url,
    mimeType: content.mimeType,
    durationMs: content.durationMs,
    checksum: content.checksum,
    fit: content.fit,
    validUntil: validUntil[member] ?? null,
  }));
}
