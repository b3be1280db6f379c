import { aemCreativeRequestedEventV1 } from '@phub/contracts';
import type { BusSubscription, EventBus, Logger } from '@phub/kit';
import type { AemCreativeService } from './creative.service.js';

export const CONTENT_CREATIVES_GROUP = 'content.aem-creatives';

/** Campaign's AEM creatives (campaign.aem-creative.v1): each is remembered and copied at once. */
export class AemCreativeConsumer {
  constructor(
    private readonly creatives: AemCreativeService,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: CONTENT_CREATIVES_GROUP,
      topics: [aemCreativeRequestedEventV1.topic],
      fromBeginning: true,
      handler: async (message) => {
        const parsed = aemCreativeRequestedEventV1.schema.safeParse(message.value);
        if (!parsed.success) {
          this.logger.warn(
            { offset: message.offset, issues: parsed.error.issues },
            'skipping malformed AEM creative event',
          );
          return;
        }
        // AEM failing is recorded on the creative (the sync job retries it), never thrown back at the bus.
        await this.creatives.requested(parsed.data);
      },
    });
  }
}
