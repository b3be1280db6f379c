import { randomUUID } from 'node:crypto';
import type { Clock } from '@phub/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { PersonalData, PersonalRecord } from '../../personal-data.js';
import type { VisitorScope } from '../../scope.js';
import { isUniqueViolation, isUuid, tableName } from '../../tables.js';
import type { ConsentService } from '../consent/consent.service.js';
import { ConsentPurpose, Profile } from '../profile/profile.entity.js';
import { DeviceSegments } from './segment.devices.js';
import { Segment, SegmentKind } from './segment.entity.js';
import { ruleNotAllowed, ruleRequired, segmentKeyTaken, segmentNotFound } from './segment.errors.js';
import type { CreateSegmentInput, UpdateSegmentInput } from './segment.input.js';
import { matches, needsAttributes, parseRule, type VisitorFacts } from './segment.rules.js';

/** Profiles a rule change re-evaluates per transaction. */
const BACKFILL_PAGE = 200;

/** Segments per tenant, and who is in them: RULE members computed here, IMPORTED ones written by imports. */
export class SegmentService {
  /** Linked devices' segments for proximity, republished wherever memberships or consent change. */
  readonly devices: DeviceSegments;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly personal: PersonalData,
    private readonly consents: ConsentService,
  ) {
    this.devices = new DeviceSegments(clock, personal, consents, (m, id) => this.keysOf(m, id));
  }

  list(scope: VisitorScope): Promise<Segment[]> {
    scope.assertCanReadAggregates();
    return this.dataSource.manager.find(Segment, { where: { tenantId: scope.tenantId }, order: { key: 'ASC' } });
  }

  async get(scope: VisitorScope, id: string): Promise<Segment> {
    scope.assertCanReadAggregates();
    const segment = isUuid(id)
      ? await this.dataSource.manager.findOneBy(Segment, { id, tenantId: scope.tenantId })
      : null;
    if (!segment) throw segmentNotFound(id);
    return segment;
  }

  async byKey(m: EntityManager, tenantId: string, key: string): Promise<Segment> {
    const segment = await m.findOneBy(Segment, { tenantId, key });
    if (!segment) throw segmentNotFound(key);
    return segment;
  }

  /** Visitors in the segment now (erased and merged-away profiles are never members). */
  async size(segmentId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${tableName(this.dataSource, 'segment_member')} WHERE "segment_id" = $1`,
      [segmentId],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  async create(scope: VisitorScope, input: CreateSegmentInput): Promise<Segment> {
    scope.assertCanManageSegments();
    const rule = input.kind === SegmentKind.RULE ? parseRule(input.rule ?? failRule()) : null;
    if (input.kind === SegmentKind.IMPORTED && input.rule) throw ruleNotAllowed();
    const now = new Date(this.clock.now());
    const segment = Object.assign(new Segment(), {
      id: randomUUID(),
      tenantId: scope.tenantId,
      key: input.key,
      name: input.name.trim(),
      description: input.description ?? null,
      kind: input.kind,
      rule,
      showAtCheckIn: input.showAtCheckIn,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.dataSource.manager.insert(Segment, segment);
    } catch (err) {
      if (isUniqueViolation(err)) throw segmentKeyTaken(input.key);
      throw err;
    }
    if (rule) await this.backfill(segment);
    return segment;
  }

  async update(scope: VisitorScope, id: string, input: UpdateSegmentInput): Promise<Segment> {
    scope.assertCanManageSegments();
    const segment = await this.get(scope, id);
    if (input.rule && segment.kind === SegmentKind.IMPORTED) throw ruleNotAllowed();
    const rule = input.rule ? parseRule(input.rule) : null;
    if (input.name != null) segment.name = input.name.trim();
    if (input.description !== undefined) segment.description = input.description;
    if (input.showAtCheckIn != null) segment.showAtCheckIn = input.showAtCheckIn;
    if (rule) segment.rule = rule;
    segment.updatedAt = new Date(this.clock.now());
    await this.dataSource.manager.save(Segment, segment);
    if (rule) await this.backfill(segment);
    return segment;
  }

  /** Deletes the segment and its memberships; SEGMENT rules naming its key then match nobody. */
  async delete(scope: VisitorScope, id: string): Promise<boolean> {
    scope.assertCanManageSegments();
    const segment = await this.get(scope, id);
    await this.dataSource.transaction(async (m) => {
      const members = (await m.query(
        `SELECT "profile_id" FROM ${tableName(m, 'segment_member')} WHERE "segment_id" = $1`,
        [segment.id],
      )) as { profile_id: string }[];
      await m.delete(Segment, { id: segment.id, tenantId: scope.tenantId });
      await this.devices.republish(
        m,
        scope.tenantId,
        members.map((r) => r.profile_id),
      );
    });
    return true;
  }

  /** A profile's facts for rules (its sealed record opened only when a rule needs its attributes). */
  async factsOf(m: EntityManager, profile: Profile, record: PersonalRecord | null): Promise<VisitorFacts> {
    const stores = (await m.query(`SELECT DISTINCT "store_id" FROM ${tableName(m, 'visit')} WHERE "profile_id" = $1`, [
      profile.id,
    ])) as { store_id: string }[];
    return {
      visitCount: profile.visitCount,
      storesVisited: new Set(stores.map((s) => s.store_id)),
      attributes: record?.attributes ?? {},
      analyticsConsent: await this.consents.granted(m, profile.id, ConsentPurpose.ANALYTICS),
    };
  }

  /** Recomputes one profile's RULE memberships (imported ones are left alone). */
  async refreshFor(m: EntityManager, profile: Profile, record: PersonalRecord | null): Promise<void> {
    const rules = await m.find(Segment, { where: { tenantId: profile.tenantId, kind: SegmentKind.RULE } });
    if (!rules.length) return;
    const facts = await this.factsOf(m, profile, record);
    const member = rules.filter((s) => s.rule && matches(s.rule, facts)).map((s) => s.id);
    await this.setRuleMemberships(
      m,
      profile,
      rules.map((s) => s.id),
      member,
    );
  }

  /** Sets the profile's memberships among `ruleIds` to `memberOf`; whether any changed (one statement). */
  private async setRuleMemberships(
    m: EntityManager,
    profile: Profile,
    ruleIds: string[],
    memberOf: string[],
  ): Promise<boolean> {
    const table = tableName(m, 'segment_member');
    const [row] = (await m.query(
      `WITH "gone" AS (
         DELETE FROM ${table} WHERE "profile_id" = $1 AND "source" = 'RULE'
           AND "segment_id" = ANY($2::uuid[]) AND NOT ("segment_id" = ANY($3::uuid[])) RETURNING 1
       ), "added" AS (
         INSERT INTO ${table} ("segment_id", "profile_id", "tenant_id", "source", "since")
         SELECT unnest($3::uuid[]), $1, $4, 'RULE', $5 ON CONFLICT DO NOTHING RETURNING 1
       ) SELECT (SELECT count(*) FROM "gone") + (SELECT count(*) FROM "added") AS "n"`,
      [profile.id, ruleIds, memberOf, profile.tenantId, new Date(this.clock.now())],
    )) as { n: string }[];
    return Number(row?.n ?? 0) > 0;
  }

  /**
   * Evaluates a new or changed rule over every live profile of the tenant, a page per transaction. Synchronous in
   * the mutation: fine for the profile counts of a chain's CRM import; a tenant with millions would want it as a job.
   */
  private async backfill(segment: Segment): Promise<void> {
    const rule = segment.rule!;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.dataSource.manager
        .createQueryBuilder(Profile, 'p')
        .where('p.tenantId = :t AND p.erasedAt IS NULL AND p.mergedInto IS NULL AND p.id > :after', {
          t: segment.tenantId,
          after,
        })
        .orderBy('p.id')
        .take(BACKFILL_PAGE)
        .getMany();
      if (!page.length) return;
      await this.dataSource.transaction(async (m) => {
        const changed: string[] = [];
        for (const profile of page) {
          const record = needsAttributes(rule)
            ? await this.personal.open(m, profile.tenantId, profile.id, profile.sealed)
            : null;
          const facts = await this.factsOf(m, profile, record);
          if (await this.setRuleMemberships(m, profile, [segment.id], matches(rule, facts) ? [segment.id] : [])) {
            changed.push(profile.id);
          }
        }
        await this.devices.republish(m, segment.tenantId, changed);
      });
      after = page[page.length - 1]!.id;
    }
  }

  /** The keys of a profile's segments, for `presence.moment.v1` (at most 50, as the contract allows). */
  async keysOf(m: EntityManager, profileId: string): Promise<string[]> {
    const rows = (await m.query(
      `SELECT s."key" FROM ${tableName(m, 'segment_member')} sm JOIN ${tableName(m, 'segment')} s ON s."id" = sm."segment_id"
        WHERE sm."profile_id" = $1 ORDER BY s."key" LIMIT 50`,
      [profileId],
    )) as { key: string }[];
    return rows.map((r) => r.key);
  }

  /** Each profile's segments, e.g. a check-in card's badges (only those shown at check-in, when asked). */
  async segmentsOf(profileIds: readonly string[], badgesOnly: boolean): Promise<Map<string, Segment[]>> {
    const out = new Map<string, Segment[]>(profileIds.map((id) => [id, []]));
    if (!profileIds.length) return out;
    const rows = (await this.dataSource.query(
      `SELECT sm."profile_id", s."id" FROM ${tableName(this.dataSource, 'segment_member')} sm
         JOIN ${tableName(this.dataSource, 'segment')} s ON s."id" = sm."segment_id"
        WHERE sm."profile_id" = ANY($1::uuid[]) ${badgesOnly ? 'AND s."show_at_check_in"' : ''}`,
      [profileIds],
    )) as { profile_id: string; id: string }[];
    const segments = rows.length
      ? await this.dataSource.manager.findBy(Segment, { id: In([...new Set(rows.map((r) => r.id))]) })
      : [];
    const byId = new Map(segments.map((s) => [s.id, s]));
    for (const r of rows) out.get(r.profile_id)?.push(byId.get(r.id)!);
    for (const list of out.values()) list.sort((a, b) => a.key.localeCompare(b.key));
    return out;
  }
}

function failRule(): never {
  throw ruleRequired();
}
