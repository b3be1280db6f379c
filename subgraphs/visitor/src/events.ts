import { presenceDeviceSegmentsEventV1, presenceMomentEventV1, queueTicketEventV1 } from '@phub/contracts';

/** Topics this subgraph consumes. */
export const ConsumedTopic = {
  /** The queue's tickets (no personal data): a linked ticket's outcome becomes its visit's outcome. */
  ticket: queueTicketEventV1.topic,
} as const;

/** Topics this subgraph publishes (through its transactional outbox). */
export const VisitorTopic = {
  /** A consenting visitor checked in: their segments are present in the store for a short while. */
  moment: presenceMomentEventV1.topic,
  /** A linked device's segments (or none) for proximity's moments: a device hash and segment keys only. */
  deviceSegments: presenceDeviceSegmentsEventV1.topic,
} as const;

export const TICKET_GROUP = 'visitor';
