import { randomUUID } from 'node:crypto';
import type { Clock } from '@phub/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { VisitorContext } from '../../context.js';
import type { VisitorMetrics } from '../../metrics.js';
import { emptyRecord, type PersonalData, type PersonalRecord } from '../../personal-data.js';
import type { Actor, VisitorScope } from '../../scope.js';
import { isUuid, tableName } from '../../tables.js';
import { AuditAction } from '../audit/audit.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ConsentService } from '../consent/consent.service.js';
import { ATTRIBUTE_NAME } from '../segment/segment.rules.js';
import type { SegmentService } from '../segment/segment.service.js';
import { type IdentifierKind, Profile, ProfileSource } from './profile.entity.js';
import { invalidAttribute, invalidIdentifier, noIdentifier, tooMany, visitorNotFound } from './profile.errors.js';
import { normaliseIdentifier } from './profile.identifiers.js';
import type { ConsentByIdentifierInput, IdentifierInput, VisitorFactsInput } from './profile.input.js';

export const MAX_IDENTIFIERS = 10;
const MAX_ATTRIBUTES = 30;
const MAX_NOTES = 50;

export interface KnownIdentifier {
  kind: IdentifierKind;
  value: string;
  hash: string;
}

/** A profile as a write left it: its record unsealed in hand, and what the write did to it. */
export interface Recognised {
  profile: Profile;
  record: PersonalRecord;
  created: boolean;
  /** Profiles merged into this one by the write (two identifiers met). */
  merged: string[];
}

/**
 * Visitor profiles: recognised by identifier (keyed hashes), merged when one write brings identifiers of two
 * profiles, opened (audited) by HQ admins, exported and erased on request, expired when inactive.
 */
export class ProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    readonly personal: PersonalData,
    private readonly consents: ConsentService,
    private readonly segments: SegmentService,
    private readonly audit: AuditService,
    private readonly metrics: VisitorMetrics,
  ) {}

  /** Normalised identifiers with their keyed hashes; BAD_USER_INPUT naming the first one at fault. */
  async identify(tenantId: string, identifiers: readonly IdentifierInput[]): Promise<KnownIdentifier[]> {
    if (!identifiers.length) throw noIdentifier();
    if (identifiers.length > MAX_IDENTIFIERS) throw tooMany('identifiers', MAX_IDENTIFIERS);
    const out: KnownIdentifier[] = [];
    for (const [i, id] of identifiers.entries()) {
      const value = normaliseIdentifier(id.kind, id.value);
      if (value === null) throw invalidIdentifier(i, id.kind);
      if (out.some((o) => o.kind === id.kind && o.value === value)) continue;
      out.push({ kind: id.kind, value, hash: await this.personal.identifierHash(tenantId, id.kind, value) });
    }
    return out;
  }

  /**
   * Finds, creates or merges the profile the identifiers name and applies what the write says of it, in the
   * caller's transaction. Identifiers are locked (advisory, in hash order) first, so two concurrent writes with a
   * shared identifier queue up instead of creating two profiles.
   */
  async recognise(
    m: EntityManager,
    tenantId: string,
    facts: VisitorFactsInput,
    source: ProfileSource,
    actor: Actor,
    consentSource: string,
  ): Promise<Recognised> {
    checkAttributes(facts);
    const ids = await this.identify(tenantId, facts.identifiers);
    for (const hash of ids.map((i) => i.hash).sort()) {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`visitor:${tenantId}:${hash}`]);
    }
    const owners = (await m.query(
      `SELECT DISTINCT "profile_id" FROM ${tableName(m, 'identifier')} WHERE "tenant_id" = $1 AND "hash" = ANY($2)`,
      [tenantId, ids.map((i) => i.hash)],
    )) as { profile_id: string }[];
    const now = new Date(this.clock.now());
    const found = owners.length
      ? await m.find(Profile, {
          where: { id: In(owners.map((o) => o.profile_id)), tenantId },
          order: { createdAt: 'ASC', id: 'ASC' },
          lock: { mode: 'pessimistic_write' },
        })
      : [];
    let profile: Profile;
    let record: PersonalRecord;
    let merged: string[] = [];
    let before = '';
    if (!found.length) {
      profile = Object.assign(new Profile(), {
        id: randomUUID(),
        tenantId,
        source,
        sealed: null,
        visitCount: 0,
        mergedInto: null,
        erasedAt: null,
        createdAt: now,
        lastSeenAt: now,
      });
      await m.insert(Profile, profile);
      record = emptyRecord();
      this.metrics.profiles.inc({ event: 'created' });
    } else {
      profile = found[0]!;
      record = (await this.personal.open(m, tenantId, profile.id, profile.sealed)) ?? emptyRecord();
      before = JSON.stringify(record);
      const others = found.slice(1);
      if (others.length) {
        record = await this.merge(m, profile, record, others, actor);
        merged = others.map((o) => o.id);
      }
    }
    if (facts.name?.trim()) record.name = facts.name.trim().slice(0, 200);
    for (const id of ids) {
      if (!record.identifiers.some((r) => r.kind === id.kind && r.value === id.value)) {
        record.identifiers.push({ kind: id.kind, value: id.value });
      }
    }
    for (const a of facts.attributes ?? []) record.attributes[a.name] = a.value;
    await m.query(
      `INSERT INTO ${tableName(m, 'identifier')} ("tenant_id", "kind", "hash", "profile_id", "created_at")
       SELECT $1, unnest($2::text[]), unnest($3::text[]), $4, $5 ON CONFLICT DO NOTHING`,
      [tenantId, ids.map((i) => i.kind), ids.map((i) => i.hash), profile.id, now],
    );
    // Sealed again only when something changed (with KMS every seal is a call).
    if (merged.length || JSON.stringify(record) !== before) {
      await this.personal.storeSealed(m, tenantId, profile.id, await this.personal.seal(tenantId, profile.id, record));
    }
    profile.lastSeenAt = now;
    await m.update(Profile, { id: profile.id }, { lastSeenAt: now, visitCount: profile.visitCount });
    for (const c of facts.consents ?? []) {
      await this.consents.record(m, tenantId, profile.id, c.purpose, c.granted, consentSource, actor);
    }
    return { profile, record, created: !found.length, merged };
  }

  /**
   * Joins `others` into `survivor` (the oldest): identifiers, visits, consent history and memberships move, the
   * records are united (the survivor's values win), and each other profile's key is destroyed — it stays only as
   * a pointer, so ids held elsewhere still lead to the visitor.
   */
  private async merge(
    m: EntityManager,
    survivor: Profile,
    record: PersonalRecord,
    others: Profile[],
    actor: Actor,
  ): Promise<PersonalRecord> {
    const ids = others.map((o) => o.id);
    for (const other of others) {
      const r = await this.personal.open(m, other.tenantId, other.id, other.sealed);
      if (!r) continue;
      record.name ??= r.name;
      for (const id of r.identifiers) {
        if (!record.identifiers.some((x) => x.kind === id.kind && x.value === id.value)) record.identifiers.push(id);
      }
      record.attributes = { ...r.attributes, ...record.attributes };
      record.notes = [...record.notes, ...r.notes].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_NOTES);
    }
    const t = (name: string) => tableName(m, name);
    await m.query(`UPDATE ${t('identifier')} SET "profile_id" = $1 WHERE "profile_id" = ANY($2::uuid[])`, [
      survivor.id,
      ids,
    ]);
    await m.query(`UPDATE ${t('visit')} SET "profile_id" = $1 WHERE "profile_id" = ANY($2::uuid[])`, [
      survivor.id,
      ids,
    ]);
    await m.query(`UPDATE ${t('consent_event')} SET "profile_id" = $1 WHERE "profile_id" = ANY($2::uuid[])`, [
      survivor.id,
      ids,
    ]);
    await m.query(
      `INSERT INTO ${t('segment_member')} ("segment_id", "profile_id", "tenant_id", "source", "since")
       SELECT "segment_id", $1, "tenant_id", "source", min("since") FROM ${t('segment_member')}
        WHERE "profile_id" = ANY($2::uuid[]) GROUP BY "segment_id", "tenant_id", "source" ON CONFLICT DO NOTHING`,
      [survivor.id, ids],
    );
    await m.query(`DELETE FROM ${t('segment_member')} WHERE "profile_id" = ANY($1::uuid[])`, [ids]);
    survivor.visitCount += others.reduce((n, o) => n + o.visitCount, 0);
    await m.query(
      `UPDATE ${t('profile')} SET "merged_into" = $1, "sealed" = NULL, "visit_count" = 0 WHERE "id" = ANY($2::uuid[])`,
      [survivor.id, ids],
    );
    // Profiles that earlier merged into these follow them to the survivor.
    await m.query(`UPDATE ${t('profile')} SET "merged_into" = $1 WHERE "merged_into" = ANY($2::uuid[])`, [
      survivor.id,
      ids,
    ]);
    for (const id of ids) await this.personal.shred(m, id);
    await this.audit.record(
      m,
      ...ids.map((id) => ({
        tenantId: survivor.tenantId,
        actor,
        action: AuditAction.MERGE,
        profileId: id,
        fields: [survivor.id],
      })),
    );
    this.metrics.profiles.inc({ event: 'merged' }, ids.length);
    return record;
  }

  /** A live profile by id (a merged one leads to the profile it joined); NOT_FOUND outside the tenant. */
  async find(m: EntityManager, tenantId: string, id: string): Promise<Profile> {
    let profile = isUuid(id) ? await m.findOneBy(Profile, { id, tenantId }) : null;
    if (profile?.mergedInto) profile = await m.findOneBy(Profile, { id: profile.mergedInto, tenantId });
    if (!profile) throw visitorNotFound(id);
    return profile;
  }

  /** A profile for an HQ admin (its personal fields are audited as they are read). */
  async get(scope: VisitorScope, id: string): Promise<Profile> {
    scope.assertCanOpenProfiles();
    return this.find(this.dataSource.manager, scope.tenantId, id);
  }

  async findByIdentifier(scope: VisitorScope, identifier: IdentifierInput): Promise<Profile | null> {
    scope.assertCanOpenProfiles();
    const [id] = await this.identify(scope.tenantId, [identifier]);
    const [row] = (await this.dataSource.query(
      `SELECT "profile_id" FROM ${tableName(this.dataSource, 'identifier')} WHERE "tenant_id" = $1 AND "hash" = $2`,
      [scope.tenantId, id!.hash],
    )) as { profile_id: string }[];
    return row ? this.find(this.dataSource.manager, scope.tenantId, row.profile_id) : null;
  }

  /** The record behind a personal field, opened once per request; each field read is audited once per request. */
  async reveal(ctx: VisitorContext, profile: Profile, field: string): Promise<PersonalRecord | null> {
    let record = ctx.opened.get(profile.id);
    if (!record) {
      record = this.personal.open(this.dataSource, profile.tenantId, profile.id, profile.sealed);
      ctx.opened.set(profile.id, record);
    }
    const key = `${profile.id}:${field}`;
    if (!ctx.audited.has(key)) {
      ctx.audited.add(key);
      await this.audit.record(null, {
        tenantId: profile.tenantId,
        actor: ctx.scope.actor,
        action: AuditAction.READ,
        profileId: profile.id,
        fields: [field],
      });
    }
    return record;
  }

  /** Right of access: everything held on the visitor, as JSON (audited). */
  async export(scope: VisitorScope, id: string): Promise<string> {
    scope.assertCanOpenProfiles();
    const profile = await this.find(this.dataSource.manager, scope.tenantId, id);
    const record = await this.personal.open(this.dataSource, profile.tenantId, profile.id, profile.sealed);
    const memberships = (await this.dataSource.query(
      `SELECT s."key", s."name", sm."source", sm."since" FROM ${tableName(this.dataSource, 'segment_member')} sm
         JOIN ${tableName(this.dataSource, 'segment')} s ON s."id" = sm."segment_id" WHERE sm."profile_id" = $1 ORDER BY s."key"`,
      [profile.id],
    )) as { key: string; name: string; source: string; since: Date }[];
    const visits = (await this.dataSource.query(
      `SELECT "store_id" AS "storeId", "source", "ticket_id" AS "ticketId", "outcome", "at"
         FROM ${tableName(this.dataSource, 'visit')} WHERE "profile_id" = $1 ORDER BY "at"`,
      [profile.id],
    )) as Record<string, unknown>[];
    await this.audit.record(null, {
      tenantId: profile.tenantId,
      actor: scope.actor,
      action: AuditAction.EXPORT,
      profileId: profile.id,
      fields: ['name', 'identifiers', 'attributes', 'notes', 'consents', 'segments', 'visits'],
    });
    return JSON.stringify({
      exportedAt: new Date(this.clock.now()).toISOString(),
      visitor: {
        id: profile.id,
        source: profile.source,
        createdAt: profile.createdAt.toISOString(),
        lastSeenAt: profile.lastSeenAt.toISOString(),
        erasedAt: profile.erasedAt?.toISOString() ?? null,
        visitCount: profile.visitCount,
      },
      personal: record,
      consentHistory: await this.consents.history(profile.id),
      segments: memberships,
      visits,
    });
  }

  /** Right to erasure (HQ admins): crypto-shreds the profile; counters and pseudonymous visits stay. */
  async erase(scope: VisitorScope, id: string): Promise<Profile> {
    scope.assertCanOpenProfiles();
    return this.dataSource.transaction(async (m) => {
      const profile = await this.find(m, scope.tenantId, id);
      await this.shredProfile(m, profile, scope.actor, AuditAction.ERASE);
      return profile;
    });
  }

  /**
   * Destroys the profile's data key and whatever would let it be found again (identifier hashes, memberships).
   * Its row keeps the random id, dates and visit count, and visits and consent history keep that id: reports
   * keep their numbers and nothing leads back to the person. Idempotent.
   */
  private async shredProfile(m: EntityManager, profile: Profile, actor: Actor, action: AuditAction): Promise<void> {
    if (profile.erasedAt) return;
    const t = (name: string) => tableName(m, name);
    // Its devices become anonymous to proximity: said while the record (which holds their hashes) still opens.
    await this.segments.devices.withdraw(m, profile);
    await this.personal.shred(m, profile.id);
    await m.query(`DELETE FROM ${t('identifier')} WHERE "profile_id" = $1`, [profile.id]);
    await m.query(`DELETE FROM ${t('segment_member')} WHERE "profile_id" = $1`, [profile.id]);
    profile.erasedAt = new Date(this.clock.now());
    await m.update(Profile, { id: profile.id }, { erasedAt: profile.erasedAt });
    await this.audit.record(m, { tenantId: profile.tenantId, actor, action, profileId: profile.id });
    this.metrics.profiles.inc({ event: action === AuditAction.EXPIRE ? 'expired' : 'erased' });
  }

  /** Retention: erases profiles not seen since `before`, a batch per transaction; returns how many. */
  async expireInactive(before: Date, actor: Actor, batch = 200): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (m) => {
        const stale = await m
          .createQueryBuilder(Profile, 'p')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('p.erasedAt IS NULL AND p.mergedInto IS NULL AND p.lastSeenAt < :before', { before })
          .orderBy('p.lastSeenAt')
          .take(batch)
          .getMany();
        for (const profile of stale) await this.shredProfile(m, profile, actor, AuditAction.EXPIRE);
        return stale.length;
      });
      total += n;
      if (n < batch) return total;
    }
  }

  /** Consent by identifier (a CDP, an app): creates the profile when the identifier is new. */
  async consentByIdentifier(
    scope: VisitorScope,
    input: ConsentByIdentifierInput,
  ): Promise<{ profile: Profile; changed: boolean }> {
    scope.assertCanWriteByIdentifier();
    await this.personal.ready(scope.tenantId);
    return this.dataSource.transaction(async (m) => {
      const { profile, record } = await this.recognise(
        m,
        scope.tenantId,
        { identifiers: [input.identifier] },
        ProfileSource.CONSENT,
        scope.actor,
        'PARTNER',
      );
      const changed = await this.consents.record(
        m,
        scope.tenantId,
        profile.id,
        input.purpose,
        input.granted,
        input.source?.trim().toUpperCase() || 'PARTNER',
        scope.actor,
      );
      await this.segments.refreshFor(m, profile, record);
      await this.segments.devices.publish(m, profile, record);
      await this.audit.record(m, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: AuditAction.CONSENT,
        profileId: profile.id,
        fields: [input.purpose],
      });
      return { profile, changed };
    });
  }

  /** Adds a staff note to a record (the check-in module decides who may). */
  async addNote(m: EntityManager, profile: Profile, storeId: string, text: string): Promise<void> {
    const record = (await this.personal.open(m, profile.tenantId, profile.id, profile.sealed)) ?? emptyRecord();
    record.notes = [...record.notes, { text, storeId, at: new Date(this.clock.now()).toISOString() }].slice(-MAX_NOTES);
    await this.personal.storeSealed(
      m,
      profile.tenantId,
      profile.id,
      await this.personal.seal(profile.tenantId, profile.id, record),
    );
  }
}

function checkAttributes(facts: VisitorFactsInput): void {
  const attributes = facts.attributes ?? [];
  if (attributes.length > MAX_ATTRIBUTES) throw tooMany('attributes', MAX_ATTRIBUTES);
  for (const a of attributes) {
    if (!ATTRIBUTE_NAME.test(a.name) || !a.value || a.value.length > 200) throw invalidAttribute(a.name);
  }
}
