import { badInput, JobAdmin, type Viewer } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import { type Job, type JobRun, type JobRunState, toJobRun } from './job.types.js';

export const MAX_JOB_RUNS = 100;

/**
 * Background jobs for HQ admins: the kit's view of the runner's tables on the shared database (they belong to
 * the platform, not to a domain), and a retry that leaves a trail in the audit log.
 */
export class JobService {
  private readonly admin: JobAdmin;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {
    this.admin = new JobAdmin((sql, params) => dataSource.query(sql, params));
  }

  jobs(): Promise<Job[]> {
    return this.admin.jobs();
  }

  async runs(job: string, states: JobRunState[] | undefined, first: number): Promise<JobRun[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_JOB_RUNS) {
      throw badInput(`first must be between 1 and ${MAX_JOB_RUNS}`, { field: 'first' });
    }
    return (await this.admin.runs(job, { states, limit: first })).map(toJobRun);
  }

  /** A failed run back in its queue, with one more attempt; audited in the admin's tenant. */
  async retry(job: string, id: string, by: { viewer: Viewer; meta: RequestMeta }): Promise<JobRun> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw badInput('id is not a job run id', { field: 'id' });
    return this.dataSource.transaction(async (manager) => {
      const run = await new JobAdmin((sql, params) => manager.query(sql, params)).retry(job, id);
      await this.audit.record(manager, {
        tenantId: by.viewer.tenantId,
        type: AuditEventType.JOB_RUN_RETRIED,
        actor: actorOf(by.viewer),
        subject: { type: AuditPartyType.JOB_RUN, id },
        meta: by.meta,
        details: { job },
      });
      return toJobRun(run);
    });
  }
}
