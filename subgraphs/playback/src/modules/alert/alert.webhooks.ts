import { randomUUID } from 'node:crypto';
import type { WebhookEvent, WebhookHub } from '@phub/kit';
import { registerEnumType } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import type { AlertPayload } from './alert.channels.js';
import { AlertKind } from './alert.entity.js';

/** What partners' playback webhooks can subscribe to: display alerts raised, resolved and acknowledged. */
export enum PlaybackWebhookEvent {
  /** An OFFLINE alert: the display has sent no heartbeat for PLAYBACK_OFFLINE_AFTER_SECONDS. */
  DISPLAY_OFFLINE = 'DISPLAY_OFFLINE',
  /** Its OFFLINE alert resolved: heartbeats are back. */
  DISPLAY_ONLINE = 'DISPLAY_ONLINE',
  NOT_PLAYING_EXPECTED_RAISED = 'NOT_PLAYING_EXPECTED_RAISED',
  NOT_PLAYING_EXPECTED_RESOLVED = 'NOT_PLAYING_EXPECTED_RESOLVED',
  STALE_CONTENT_RAISED = 'STALE_CONTENT_RAISED',
  STALE_CONTENT_RESOLVED = 'STALE_CONTENT_RESOLVED',
  /** A person acknowledged an alert of any kind. */
  ALERT_ACKNOWLEDGED = 'ALERT_ACKNOWLEDGED',
}
registerEnumType(PlaybackWebhookEvent, {
  name: 'PlaybackWebhookEvent',
  description:
    'Display alert events for webhooks: a display offline and back online, a wrong playlist or stale content raised and resolved, any alert acknowledged',
});

export type AlertTransition = 'raised' | 'resolved' | 'acknowledged';

const EVENTS: Record<AlertKind, Record<'raised' | 'resolved', PlaybackWebhookEvent>> = {
  [AlertKind.OFFLINE]: { raised: PlaybackWebhookEvent.DISPLAY_OFFLINE, resolved: PlaybackWebhookEvent.DISPLAY_ONLINE },
  [AlertKind.NOT_PLAYING_EXPECTED]: {
    raised: PlaybackWebhookEvent.NOT_PLAYING_EXPECTED_RAISED,
    resolved: PlaybackWebhookEvent.NOT_PLAYING_EXPECTED_RESOLVED,
  },
  [AlertKind.STALE_CONTENT]: {
    raised: PlaybackWebhookEvent.STALE_CONTENT_RAISED,
    resolved: PlaybackWebhookEvent.STALE_CONTENT_RESOLVED,
  },
};

/** The webhook event an alert's transition makes; its id is new, as each transition happens once (compare-and-set). */
export function alertWebhookEvent(alert: AlertPayload, transition: AlertTransition, at: Date): WebhookEvent {
  const event =
    transition === 'acknowledged' ? PlaybackWebhookEvent.ALERT_ACKNOWLEDGED : EVENTS[alert.kind][transition];
  const eventId = randomUUID();
  return {
    tenantId: alert.tenantId,
    storeId: alert.storeId,
    event,
    eventId,
    subjectId: alert.id,
    payload: { id: eventId, event, occurredAt: at.toISOString(), storeId: alert.storeId, alert },
  };
}

/**
 * Alerts on the kit's webhooks (packages/kit/src/webhooks, `webhooks:` in playback's defineSubgraph): an
 * alert's transition fans out in the transaction that makes it, so a rolled-back one sends nothing.
 */
export class AlertWebhooks {
  constructor(private readonly hub: WebhookHub) {}

  fanOut(m: EntityManager, alert: AlertPayload, transition: AlertTransition, at: Date): Promise<number> {
    return this.hub.fanOut(m, alertWebhookEvent(alert, transition, at));
  }
}
