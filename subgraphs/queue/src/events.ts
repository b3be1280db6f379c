import { storeEventV1 } from '@phub/contracts';

/** Topics this subgraph consumes. */
export const ConsumedTopic = {
  /** Location's stores: the queue keeps each one's tenant, time zone and opening hours. */
  store: storeEventV1.topic,
} as const;

export const PROJECTION_GROUP = 'queue';
