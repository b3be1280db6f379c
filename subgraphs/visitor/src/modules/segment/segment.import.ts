import { DomainError } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { VisitorScope } from '../../scope.js';
import { tableName } from '../../tables.js';
import { AuditAction } from '../audit/audit.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import { ProfileSource } from '../profile/profile.entity.js';
import type { IdentifierInput } from '../profile/profile.input.js';
import type { ProfileService } from '../profile/profile.service.js';
import { SegmentKind, type SegmentImportResult } from './segment.entity.js';
import { notImported } from './segment.errors.js';
import type { SegmentService } from './segment.service.js';

export const MAX_IMPORT = 1000;

/**
 * Memberships of an IMPORTED segment from a CDP or CRM, by identifier: idempotent (a member already in stays,
 * counted once), bulk (up to 1000 per call, one transaction), and a bad identifier is rejected on its own with its
 * index while the others apply. An identifier seen for the first time becomes a profile (source IMPORT).
 */
export class SegmentImport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileService,
    private readonly segments: SegmentService,
    private readonly audit: AuditService,
  ) {}

  async importMembers(scope: VisitorScope, key: string, members: IdentifierInput[]): Promise<SegmentImportResult> {
    scope.assertCanWriteByIdentifier();
    if (members.length > MAX_IMPORT) {
      throw new DomainError('BAD_USER_INPUT', `At most ${MAX_IMPORT} members per import`, { reason: 'TOO_MANY' });
    }
    await this.profiles.personal.ready(scope.tenantId);
    return this.dataSource.transaction(async (m) => {
      const segment = await this.segments.byKey(m, scope.tenantId, key);
      if (segment.kind !== SegmentKind.IMPORTED) throw notImported(key);
      const result: SegmentImportResult = { added: 0, alreadyMembers: 0, createdProfiles: 0, rejected: [] };
      for (const [index, member] of members.entries()) {
        try {
          await this.profiles.identify(scope.tenantId, [member]);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          result.rejected.push({ index, reason: String(err.details.reason ?? err.code) });
          continue;
        }
        const { profile, record, created, merged } = await this.profiles.recognise(
          m,
          scope.tenantId,
          { identifiers: [member] },
          ProfileSource.IMPORT,
          scope.actor,
          'IMPORT',
        );
        if (created) result.createdProfiles++;
        const inserted = (await m.query(
          `INSERT INTO ${tableName(m, 'segment_member')} ("segment_id", "profile_id", "tenant_id", "source", "since")
           VALUES ($1, $2, $3, 'IMPORT', now()) ON CONFLICT DO NOTHING RETURNING "profile_id"`,
          [segment.id, profile.id, scope.tenantId],
        )) as unknown[];
        if (inserted.length) result.added++;
        else result.alreadyMembers++;
        // A new member (or a merge that joined a device to this profile) changes what its devices carry.
        if (inserted.length || merged.length) await this.segments.devices.publish(m, profile, record);
      }
      await this.audit.record(m, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: AuditAction.IMPORT,
        fields: [`segment:${key}`, `members:${members.length - result.rejected.length}`],
      });
      return result;
    });
  }
}
