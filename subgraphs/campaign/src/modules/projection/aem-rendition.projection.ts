import { aemRenditionEventV1 } from '@phub/contracts';
import type { BusSubscription, EventBus, Logger } from '@phub/kit';
import type { CreativeService } from '../creative/creative.service.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';

export const AEM_RENDITION_CONSUMER_GROUP = 'campaign.aem-renditions';

/**
 * The content subgraph's copies of AEM creatives (content.aem-rendition.v1): a newer version updates the creative
 * (READY with its URL and checksum, or FAILED), and the tenant's displays are resolved again, so every display
 * playing it gets `playlistChanged` with the new file.
 */
export class AemRenditionProjection {
  constructor(
    private readonly creatives: CreativeService,
    private readonly onChange: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: AEM_RENDITION_CONSUMER_GROUP,
      topics: [aemRenditionEventV1.topic],
      // Replaying is idempotent: only a newer version than the row holds changes it.
      fromBeginning: true,
      handler: async (message) => {
        const parsed = aemRenditionEventV1.schema.safeParse(message.value);
        if (!parsed.success) {
          this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed AEM rendition');
          return;
        }
        if (await this.creatives.applyAemRendition(parsed.data)) {
          await this.onChange({ tenantId: parsed.data.tenantId, reason: 'creative', index: true });
        }
      },
    });
  }
}
