import { campaignEventV1, creativeEventV1 } from '@phub/contracts';
import type { BusSubscription, EventBus, Logger } from '@phub/kit';
import type { SearchService } from './search.service.js';

export const CONTENT_SEARCH_GROUP = 'content.search';

/**
 * Campaigns and library creatives into the search index, from campaign's own events (campaign.campaign.v1,
 * campaign.creative.v1).
 */
export class CampaignSearchConsumer {
  constructor(
    private readonly search: SearchService,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: CONTENT_SEARCH_GROUP,
      topics: [campaignEventV1.topic, creativeEventV1.topic],
      fromBeginning: true,
      handler: async (message) => {
        if (message.topic === creativeEventV1.topic) {
          const creative = creativeEventV1.schema.safeParse(message.value);
          if (!creative.success) {
            this.logger.warn(
              { offset: message.offset, issues: creative.error.issues },
              'skipping malformed creative event',
            );
            return;
          }
          return this.search.creativeChanged(creative.data);
        }
        const parsed = campaignEventV1.schema.safeParse(message.value);
        if (!parsed.success) {
          this.logger.warn(
            { offset: message.offset, issues: parsed.error.issues },
            'skipping malformed campaign event',
          );
          return;
        }
        // An index that fails throws: the bus retries, then dead-letters, as for any consumer.
        await this.search.campaignChanged(parsed.data);
      },
    });
  }
}
