import { CampaignIndex, type CompiledCampaign, asIndex, compileCampaign } from './compile.js';
import { conditionLine, describeQueueCondition } from './queue.js';
import { activeRange, activeWindow } from './schedule.js';
import { displayValues, excludedBy, groupMatch, liveMoments, visitorVerdict } from './targeting.js';
import { type Resolution, displayClock, instantOf, resolveAt } from './resolve.js';
import type {
  Campaign,
  Daypart,
  DisplayFacts,
  ExplainCheck,
  Explanation,
  Interruption,
  PresenceMoment,
} from './types.js';
import { WEEKDAYS } from './types.js';
import { type LocalMoment, type ZoneClock, formatLocal, localMoment } from './zone-clock.js';

/** The rest of the display's world: the campaigns it competes with, its overrides and its store's takeovers. */
export interface ExplainContext {
  readonly campaigns: CampaignIndex | readonly Campaign[];
  readonly overrides: readonly Interruption[];
}

const local = (clock: ZoneClock, instant: number): string => formatLocal(localMoment(clock, instant), WEEKDAYS);
const localDate = (moment: LocalMoment): string => new Date(moment.wall).toISOString().slice(0, 10);
const list = (values: Iterable<string>): string => [...values].join(', ');
const describeDaypart = (d: Daypart): string =>
  `${d.days.length === 0 ? 'every day' : d.days.join(',')} ${d.from}–${d.to}` +
  (d.to <= d.from ? ' (into the next day)' : '');

/** The index with this version of the campaign in it. */
function withCampaign(campaigns: CampaignIndex | readonly Campaign[], campaign: Campaign): CampaignIndex {
  const index = asIndex(campaigns);
  if (index.get(campaign.id)?.source === campaign) return index;
  return new CampaignIndex([...index.campaigns.filter((c) => c.id !== campaign.id), campaign]);
}

function targetingCheck(campaign: CompiledCampaign, display: DisplayFacts): ExplainCheck {
  const { include } = campaign.targeting;
  const matched: string[] = [];
  for (const group of include) {
    const value = groupMatch(group, display);
    if (value === null) {
      const have = displayValues(display, group.kind);
      return {
        check: 'TARGETING',
        pass: false,
        message:
          `Not included: no ${group.kind} rule (${list(group.values)}) matches the display's ` +
          `${group.kind} (${have.length === 0 ? 'none' : list(have)}); every kind of include rule must match.`,
      };
    }
    matched.push(`${group.kind} ${value}`);
  }
  const rule = excludedBy(campaign.targeting, display);
  if (rule) {
    return {
      check: 'TARGETING',
      pass: false,
      message: `Excluded by rule ${rule.kind} = ${rule.value}${matched.length ? ' although included' : ''}; exclude beats include.`,
      rule,
    };
  }
  const scope = campaign.storeId === null ? 'the whole tenant' : 'the whole store';
  return {
    check: 'TARGETING',
    pass: true,
    message:
      (matched.length === 0 ? `No include rules: targets ${scope}` : `Included: ${matched.join(', ')} match`) +
      '; no exclude rule matches.',
  };
}

function queueCheck(campaign: CompiledCampaign, display: DisplayFacts): ExplainCheck {
  const wanted = campaign.queueConditions.map(describeQueueCondition).join('; or ');
  for (const condition of campaign.queueConditions) {
    const line = conditionLine(condition, display);
    if (line) {
      const wait = line.estimatedWaitMinutes === null ? '' : `, about ${line.estimatedWaitMinutes} min wait`;
      return {
        check: 'QUEUE',
        pass: true,
        message: `Queue condition holds: line ${line.lineId} has ${line.waiting} waiting${wait} (wants ${wanted}).`,
      };
    }
  }
  const known = display.queueLines ?? [];
  const now =
    known.length === 0
      ? 'no queue line of this store has reported its state'
      : known.map((l) => `line ${l.lineId} ${l.open ? `${l.waiting} waiting` : 'closed'}`).join(', ');
  return { check: 'QUEUE', pass: false, message: `Queue condition not met: wants ${wanted}; now ${now}.` };
}

/** A moment as HQ reads it: its id, source, where, what segments and until when (never who). */
const describeMoment = (m: PresenceMoment): string =>
  `moment ${m.momentId} (${m.source}, ${m.zoneId === null ? 'store-wide' : `zone ${m.zoneId}`}` +
  `${m.segmentKeys.length ? `, segments ${m.segmentKeys.join(', ')}` : ''}, until ${m.expiresAt.toISOString()})`;

/** Visitor rules against the store's live presence moments: which moment made it play, or what is missing. */
function visitorCheck(campaign: CompiledCampaign, display: DisplayFacts, at: number): ExplainCheck {
  const rules = campaign.targeting.visitorRules.map((r) => `${r.kind} ${r.value}`).join(', ');
  const verdict = visitorVerdict(campaign.targeting, display, at);
  if (verdict.excluded) {
    const { rule, moment } = verdict.excluded;
    return {
      check: 'VISITOR_TARGETING',
      pass: false,
      message: `Excluded by rule ${rule.kind} = ${rule.value} while ${describeMoment(moment)} lasts.`,
      rule,
    };
  }
  if (verdict.missing) {
    const live = liveMoments(display, at);
    const { kind, values } = verdict.missing;
    const wanted =
      kind === 'PROXIMITY_ZONE'
        ? `presence in zone ${list(values)}`
        : `a visitor of segment ${list(values)} in the display's zone (${display.zoneId ?? 'none'}) or store-wide`;
    return {
      check: 'VISITOR_TARGETING',
      pass: false,
      message:
        `Visitor rules (${rules}) wait for ${wanted}; ` +
        (live.length === 0
          ? 'the store has no live presence moment.'
          : `live now: ${live.map(describeMoment).join('; ')}.`),
      rule: { kind, value: [...values][0]! },
    };
  }
  const by = [...new Map(verdict.matched.map((m) => [m.moment.momentId, m.moment])).values()];
  return {
    check: 'VISITOR_TARGETING',
    pass: true,
    message:
      by.length === 0
        ? `Visitor rules (${rules}) hold: no live moment matches an exclude rule.`
        : `Visitor rules (${rules}) hold thanks to ${by.map(describeMoment).join('; ')}.`,
  };
}

function staticChecks(
  campaign: CompiledCampaign,
  problems: readonly string[],
  display: DisplayFacts,
  at: number,
): ExplainCheck[] {
  const source = campaign.source;
  const checks: ExplainCheck[] = [
    problems.length === 0
      ? { check: 'VALIDITY', pass: true, message: 'Campaign data is valid.' }
      : {
          check: 'VALIDITY',
          pass: false,
          message: `Campaign data is invalid, so it never plays: ${problems.join('; ')}.`,
        },
    source.status === 'LIVE'
      ? { check: 'STATUS', pass: true, message: 'Status is LIVE.' }
      : { check: 'STATUS', pass: false, message: `Status is ${source.status}; only LIVE campaigns play.` },
    campaign.tenantId === display.tenantId
      ? { check: 'TENANT', pass: true, message: `Campaign and display belong to tenant ${display.tenantId}.` }
      : {
          check: 'TENANT',
          pass: false,
          message: `Campaign belongs to tenant ${campaign.tenantId}, the display to tenant ${display.tenantId}; tenants never mix.`,
        },
    campaign.storeId === null
      ? { check: 'STORE', pass: true, message: 'Not store-local: it may play in any store of the tenant.' }
      : campaign.storeId === display.storeId
        ? {
            check: 'STORE',
            pass: true,
            message: `Store-local campaign of store ${campaign.storeId}, the display's store.`,
          }
        : {
            check: 'STORE',
            pass: false,
            message: `Store-local campaign of store ${campaign.storeId}; the display is in store ${display.storeId}.`,
          },
    targetingCheck(campaign, display),
  ];
  if (campaign.targeting.visitorRules.length > 0) checks.push(visitorCheck(campaign, display, at));
  if (campaign.queueConditions.length > 0) checks.push(queueCheck(campaign, display));
  checks.push(
    campaign.paused.has(display.storeId)
      ? { check: 'STORE_PAUSE', pass: false, message: `Paused locally by store ${display.storeId}.` }
      : { check: 'STORE_PAUSE', pass: true, message: `Not paused for store ${display.storeId}.` },
    campaign.creatives.length > 0
      ? { check: 'CREATIVES', pass: true, message: `Has ${campaign.creatives.length} creative(s).` }
      : { check: 'CREATIVES', pass: false, message: 'Has no creatives, so there is nothing to play.' },
  );
  return checks;
}

function scheduleChecks(campaign: CompiledCampaign, moment: LocalMoment): ExplainCheck[] {
  const { schedule, source } = campaign;
  const t = moment.instant;
  const checks: ExplainCheck[] = [];
  const { startDate, endDate } = source.schedule;
  if (schedule.startDay === null && schedule.endDay === null) {
    checks.push({ check: 'DATE_RANGE', pass: true, message: 'No date range.' });
  } else {
    const range = activeRange({ ...schedule, startsAt: null, endsAt: null }, moment.clock);
    const pass = t >= range.start && t < range.end;
    const span =
      startDate != null && endDate != null
        ? `from ${startDate} through ${endDate}`
        : startDate != null
          ? `from ${startDate}`
          : `through ${endDate}`;
    const verdict = pass ? 'inside it' : t < range.start ? 'it has not started' : 'it has ended';
    checks.push({
      check: 'DATE_RANGE',
      pass,
      message: `Runs ${span} (store-local dates, inclusive); the store-local date is ${localDate(moment)}, ${verdict}.`,
    });
  }
  if (schedule.startsAt === null && schedule.endsAt === null) {
    checks.push({ check: 'ACTIVE_WINDOW', pass: true, message: 'No absolute start or end.' });
  } else {
    const from = schedule.startsAt === null ? 'any time' : new Date(schedule.startsAt).toISOString();
    const to = schedule.endsAt === null ? 'no end' : `${new Date(schedule.endsAt).toISOString()} (exclusive)`;
    const early = schedule.startsAt !== null && t < schedule.startsAt;
    const late = schedule.endsAt !== null && t >= schedule.endsAt;
    const verdict = early ? 'it has not started' : late ? 'it has ended' : 'inside it';
    checks.push({
      check: 'ACTIVE_WINDOW',
      pass: !early && !late,
      message: `Runs from ${from} until ${to}; it is ${new Date(t).toISOString()}, ${verdict}.`,
    });
  }
  const now = formatLocal(moment, WEEKDAYS);
  if (schedule.windows.length === 0) {
    checks.push({ check: 'DAYPART', pass: true, message: `No dayparts: plays all day (store-local time ${now}).` });
  } else {
    const window = activeWindow(schedule, moment);
    checks.push(
      window
        ? {
            check: 'DAYPART',
            pass: true,
            message: `Store-local time ${now} is inside daypart ${describeDaypart(window.source)}.`,
          }
        : {
            check: 'DAYPART',
            pass: false,
            message: `Store-local time ${now} is outside every daypart (${schedule.windows.map((w) => describeDaypart(w.source)).join('; ')}).`,
          },
    );
  }
  return checks;
}

function competitionChecks(
  campaign: CompiledCampaign,
  resolution: Resolution,
  eligible: boolean,
  clock: ZoneClock,
): ExplainCheck[] {
  const checks: ExplainCheck[] = [];
  const { override, takeover, tier, loop } = resolution;
  if (takeover) {
    checks.push({
      check: 'OVERRIDE',
      pass: false,
      message: `Emergency takeover ${takeover.id} of the store owns every display until it is lifted: only it plays.`,
    });
  } else if (override) {
    const until = `${local(clock, override.until.getTime())} (${override.until.toISOString()})`;
    const own = override.campaignId === campaign.id;
    checks.push({
      check: 'OVERRIDE',
      pass: own,
      message: own
        ? `Emergency override ${override.id} plays this campaign's creative ${override.creative.id} until ${until}.`
        : `Emergency override ${override.id} owns the display until ${until}: only its creative ${override.creative.id} plays.`,
    });
  } else {
    checks.push({ check: 'OVERRIDE', pass: true, message: 'No emergency override is active.' });
  }
  if (!eligible) return checks;
  const leader = tier[0];
  if (!leader) return checks;
  if (!tier.some((c) => c.id === campaign.id)) {
    checks.push({
      check: 'PRIORITY',
      pass: false,
      message: `Outranked by priority ${leader.priority} campaign "${leader.source.name}" (${leader.id}); its priority is ${campaign.priority} and lower priorities do not play.`,
      outrankedBy: { campaignId: leader.id, name: leader.source.name, priority: leader.priority },
    });
    return checks;
  }
  const others = tier.filter((c) => c.id !== campaign.id);
  checks.push({
    check: 'PRIORITY',
    pass: true,
    message:
      others.length === 0
        ? `Highest eligible priority (${campaign.priority}), alone in its tier.`
        : `Highest eligible priority (${campaign.priority}), sharing turns by weight (${tier.map((c) => `${c.id} ${c.weight}`).join(', ')}).`,
  });
  const stats = loop?.stats.find((s) => s.campaignId === campaign.id);
  if (stats && stats.maxPlaysPerHour !== null) {
    const rate = `${stats.playsPerHour.toFixed(1)} plays per hour (${stats.plays} item plays in a ${((loop?.durationMs ?? 0) / 1000).toFixed(1)} s loop)`;
    const capped = stats.turns < stats.weightTurns;
    checks.push(
      !stats.capMet
        ? {
            check: 'CAP',
            pass: false,
            message: `maxPlaysPerHour ${stats.maxPlaysPerHour} cannot be met: no uncapped campaign of its priority can fill the loop, so it keeps one turn at ${rate}.`,
          }
        : {
            check: 'CAP',
            pass: true,
            message: capped
              ? `Capped by maxPlaysPerHour ${stats.maxPlaysPerHour}: keeps ${stats.turns} of ${stats.weightTurns} turns per cycle, ${rate}.`
              : `Within maxPlaysPerHour ${stats.maxPlaysPerHour}: ${rate}.`,
          },
    );
  }
  return checks;
}

/**
 * Why campaign C is or is not on display D at `at`: every check with a verdict and a sentence for HQ.
 * Checks about the campaign itself all run, so every failing reason shows; PRIORITY and CAP are only
 * reported for an eligible campaign, because competition is moot otherwise.
 */
export function explain(display: DisplayFacts, campaign: Campaign, at: Date, context: ExplainContext): Explanation {
  const instant = instantOf(at, 'at');
  const clock = displayClock(display);
  const moment = localMoment(clock, instant);
  const { compiled, problems } = compileCampaign(campaign);
  const own = [...staticChecks(compiled, problems, display, instant), ...scheduleChecks(compiled, moment)];
  const eligible = own.every((c) => c.pass);
  const resolution = resolveAt(display, withCampaign(context.campaigns, campaign), context.overrides, instant, true);
  const checks = [...own, ...competitionChecks(compiled, resolution, eligible, clock)];
  const items = resolution.playlist.items;
  const mine = items.filter((item) => item.campaignId === campaign.id).length;
  const playing = mine > 0;
  const firstFailure = checks.find((c) => !c.pass);
  const subject = `Campaign "${campaign.name}" (${campaign.id})`;
  const when = `display ${display.displayId} at ${new Date(instant).toISOString()}`;
  return {
    displayId: display.displayId,
    campaignId: campaign.id,
    at: new Date(instant),
    storeLocalTime: formatLocal(moment, WEEKDAYS),
    eligible,
    playing,
    checks,
    summary: playing
      ? `${subject} plays on ${when}: ${mine} of ${items.length} items in the loop.`
      : `${subject} does not play on ${when}: ${firstFailure?.message ?? 'nothing else plays either.'}`,
  };
}
