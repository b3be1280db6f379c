import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { badInput, type Connection, egress, type Logger, outboundMetrics, paginate } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '@phub/kit';
import type { PlaybackMetrics } from '../../metrics.js';
import type { PlaybackScope } from '../../scope.js';
import type { Alert } from '../alert/alert.entity.js';
import { NotificationSettings, SentMessage } from './notification.entity.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

/** Sends through SNS; absent, messages are kept in `sent_message` (the "sent messages" view). */
export interface SnsSettings {
  topicArn?: string;
  region?: string;
  endpoint?: string;
}

/** Recipients per tenant, and alert notifications by email and SMS. */
export class NotificationService {
  private readonly sns: SNSClient | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly metrics: PlaybackMetrics,
    private readonly logger: Logger,
    private readonly settings: SnsSettings,
  ) {
    this.sns = settings.topicArn
      ? new SNSClient({
          region: settings.region ?? 'eu-west-1',
          requestHandler: egress().awsRequestHandler(),
          ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        })
      : null;
  }

  async get(scope: PlaybackScope): Promise<NotificationSettings> {
    const row = await this.dataSource.getRepository(NotificationSettings).findOneBy({ tenantId: scope.tenantId });
    return (
      row ??
      Object.assign(new NotificationSettings(), {
        tenantId: scope.tenantId,
        emails: [],
        phones: [],
        updatedAt: new Date(0),
      })
    );
  }

  async set(scope: PlaybackScope, emails: string[], phones: string[]): Promise<NotificationSettings> {
    scope.assertHqAdmin();
    const cleanEmails = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
    const cleanPhones = [...new Set(phones.map((p) => p.replace(/[\s-]/g, '')))];
    const badEmail = cleanEmails.find((e) => !EMAIL.test(e));
    if (badEmail) throw badInput(`emails: ${badEmail} is not an email address`, { field: 'emails' });
    const badPhone = cleanPhones.find((p) => !PHONE.test(p));
    if (badPhone) throw badInput(`phones: ${badPhone} is not an E.164 number (+447700900123)`, { field: 'phones' });
    if (cleanEmails.length + cleanPhones.length > 50) throw badInput('At most 50 recipients');
    const repo = this.dataSource.getRepository(NotificationSettings);
    await repo.upsert(
      { tenantId: scope.tenantId, emails: cleanEmails, phones: cleanPhones, updatedAt: new Date(this.clock.now()) },
      ['tenantId'],
    );
    return await repo.findOneByOrFail({ tenantId: scope.tenantId });
  }

  sent(scope: PlaybackScope, first?: number | null, after?: string | null): Promise<Connection<SentMessage>> {
    const qb = this.dataSource
      .getRepository(SentMessage)
      .createQueryBuilder('m')
      .where('m.tenantId = :tenantId', { tenantId: scope.tenantId });
    return paginate(qb, { first, after, sortColumn: 'sentKey' });
  }

  /** Tells the tenant's recipients about a raised alert. Never throws: an alert stands without its mail. */
  async alertRaised(alert: Alert): Promise<void> {
    let settings: NotificationSettings | null = null;
    try {
      settings = await this.dataSource.getRepository(NotificationSettings).findOneBy({ tenantId: alert.tenantId });
      if (!settings || (!settings.emails.length && !settings.phones.length)) return;
      const subject = `Display alert: ${alert.kind} on display ${alert.displayId}`;
      const body = `${alert.message} (store ${alert.storeId}, raised ${alert.raisedAt.toISOString()})`;
      const transport = this.sns ? 'SNS' : 'OUTBOX';
      if (this.sns) {
        // Email recipients subscribe to the topic; SMS goes to each number directly.
        if (settings.emails.length) {
          await this.sns.send(
            new PublishCommand({ TopicArn: this.settings.topicArn, Subject: subject, Message: body }),
          );
        }
        for (const phone of settings.phones) {
          await this.sns.send(new PublishCommand({ PhoneNumber: phone, Message: `${subject}. ${body}` }));
        }
      }
      const at = new Date(this.clock.now());
      const rows = [
        ...settings.emails.map((recipient) => ({ channel: 'EMAIL', recipient })),
        ...settings.phones.map((recipient) => ({ channel: 'SMS', recipient })),
      ].map((r) => ({
        ...r,
        tenantId: alert.tenantId,
        subject,
        body,
        transport,
        alertId: alert.id,
        sentAt: at,
        sentKey: at.toISOString(),
      }));
      await this.dataSource.getRepository(SentMessage).insert(rows);
      for (const r of rows) {
        this.metrics.notifications.inc({ channel: r.channel, transport });
        outboundMetrics.count(r.channel.toLowerCase(), 'playback', 'delivered');
      }
    } catch (err) {
      this.logger.warn({ err, alertId: alert.id }, 'could not send the alert notification');
      // Counted for the failed-delivery alert: the alert itself stands, its recipients were not told.
      outboundMetrics.count('email', 'playback', 'failed', settings?.emails.length ?? 0);
      outboundMetrics.count('sms', 'playback', 'failed', settings?.phones.length ?? 0);
      if (!settings) outboundMetrics.count('notification', 'playback', 'failed');
    }
  }
}
