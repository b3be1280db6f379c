import { presenceDeviceSegmentsEventV1, type PresenceDeviceSegmentsEventV1 } from '@phub/contracts';
import { type Clock, enqueue } from '@phub/kit';
import { type EntityManager, In, IsNull } from 'typeorm';
import { VisitorTopic } from '../../events.js';
import type { PersonalData, PersonalRecord } from '../../personal-data.js';
import { tableName } from '../../tables.js';
import type { ConsentService } from '../consent/consent.service.js';
import { ConsentPurpose, IdentifierKind, Profile } from '../profile/profile.entity.js';

/** Proximity's device hashes are HMAC-SHA256 hex; shorter or longer DEVICE_MAC_HASH values cannot be one. */
const PROXIMITY_HASH = /^[0-9a-f]{64}$/;

/** The device hashes a record holds, as proximity would have made them. */
export const devicesOf = (record: PersonalRecord | null): string[] =>
  (record?.identifiers ?? [])
    .filter((i) => i.kind === IdentifierKind.DEVICE_MAC_HASH && PROXIMITY_HASH.test(i.value))
    .map((i) => i.value);

/**
 * Tells proximity what each linked device may carry onto its zone moments (`presence.device-segments.v1`, in the
 * caller's transaction through the outbox): the profile's segment keys while it consents to PERSONALISED_SCREENS,
 * an empty list otherwise. Only the device hash and segment keys travel; proximity never learns who it is.
 */
export class DeviceSegments {
  constructor(
    private readonly clock: Clock,
    private readonly personal: PersonalData,
    private readonly consents: ConsentService,
    private readonly keysOf: (m: EntityManager, profileId: string) => Promise<string[]>,
  ) {}

  /** Publishes the profile's devices' current segments (nothing when it holds no device); returns how many. */
  async publish(m: EntityManager, profile: Profile, record: PersonalRecord | null): Promise<number> {
    const devices = devicesOf(record);
    if (!devices.length) return 0;
    const consenting =
      !profile.erasedAt && (await this.consents.granted(m, profile.id, ConsentPurpose.PERSONALISED_SCREENS));
    const keys = consenting ? await this.keysOf(m, profile.id) : [];
    await this.emit(m, profile.tenantId, devices, keys);
    return devices.length;
  }

  /** Makes the profile's devices anonymous again (before its record is shredded: the hashes are in it). */
  async withdraw(m: EntityManager, profile: Profile): Promise<void> {
    const record = await this.personal.open(m, profile.tenantId, profile.id, profile.sealed);
    const devices = devicesOf(record);
    if (devices.length) await this.emit(m, profile.tenantId, devices, []);
  }

  /**
   * After memberships of many profiles changed (a rule's backfill, a segment deleted): republishes those among
   * them that hold a device, found by the identifier table's kind without opening any other record.
   */
  async republish(m: EntityManager, tenantId: string, profileIds: readonly string[]): Promise<void> {
    if (!profileIds.length) return;
    const rows = (await m.query(
      `SELECT DISTINCT "profile_id" FROM ${tableName(m, 'identifier')}
        WHERE "tenant_id" = $1 AND "profile_id" = ANY($2::uuid[]) AND "kind" = $3`,
      [tenantId, profileIds, IdentifierKind.DEVICE_MAC_HASH],
    )) as { profile_id: string }[];
    if (!rows.length) return;
    const profiles = await m.findBy(Profile, { tenantId, id: In(rows.map((r) => r.profile_id)), erasedAt: IsNull() });
    for (const p of profiles) await this.publish(m, p, await this.personal.open(m, p.tenantId, p.id, p.sealed));
  }

  private async emit(m: EntityManager, tenantId: string, devices: string[], segmentKeys: string[]): Promise<void> {
    const occurredAt = new Date(this.clock.now()).toISOString();
    for (const deviceHash of devices) {
      const payload: PresenceDeviceSegmentsEventV1 = presenceDeviceSegmentsEventV1.schema.parse({
        tenantId,
        deviceHash,
        segmentKeys,
        occurredAt,
      });
      await enqueue(m, { topic: VisitorTopic.deviceSegments, key: deviceHash, payload });
    }
  }
}
