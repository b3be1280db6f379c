/**
 * Every bus topic and its versioned schema, once. Producers type what they emit with these; consumers
 * parse with the same schema, so the two cannot drift. A breaking change is a new topic version (`.v2`).
 */
export { type Contract, contract, instant } from './common.js';
export { displayEventV1, type DisplayEventV1, storeEventV1, type StoreEventV1, weekday } from './location.js';
export {
  campaignEventV1,
  type CampaignEventV1,
  campaignStatus,
  creativeEventV1,
  type CreativeEventV1,
  playlistVersionEventV1,
  type PlaylistVersionEventV1,
} from './campaign.js';
export {
  queueLineEventV1,
  type QueueLineEventV1,
  queueTicketEventV1,
  type QueueTicketEventV1,
  ticketAction,
  ticketState,
} from './queue.js';
export {
  presenceDeviceSegmentsEventV1,
  type PresenceDeviceSegmentsEventV1,
  presenceMomentEventV1,
  type PresenceMomentEventV1,
  segmentKey,
} from './presence.js';
export {
  aemCreativeRequestedEventV1,
  type AemCreativeRequestedEventV1,
  aemRenditionEventV1,
  type AemRenditionEventV1,
  aemTemplate,
} from './content.js';
export { auditActionEventV1, type AuditActionEventV1, auditedAction, type AuditedAction, auditParty } from './audit.js';
