import type { Catalog, CatalogCreative } from './catalog';
import { itemAt, mediaKind } from './moment';
import { localTime } from './time';

interface Item {
  campaignId?: string | null;
  overrideId?: string | null;
  creativeId: string;
  mimeType: string;
  durationMs: number;
}

/** The creative itself, fitted into the screen as a player fits it (whole, on black). */
export function CreativePicture({
  creative,
  mimeType,
  className,
  decorative,
}: {
  creative: CatalogCreative | undefined;
  mimeType: string;
  className?: string;
  /** Named elsewhere beside it: no alternative text */
  decorative?: boolean;
}) {
  const alt = decorative ? '' : creative ? creative.name : 'A creative';
  if (creative?.url && mimeType.startsWith('image/'))
    return <img className={className} src={creative.url} alt={alt} loading="lazy" />;
  if (creative?.url && mimeType.startsWith('video/'))
    return (
      <video
        className={className}
        src={`${creative.url}#t=0.5`}
        muted
        playsInline
        preload="metadata"
        aria-label={decorative ? undefined : alt}
        aria-hidden={decorative ? true : undefined}
      />
    );
  return (
    <span
      className={`${className ?? ''} preview-picture-placeholder`}
      role={decorative ? undefined : 'img'}
      aria-label={decorative ? undefined : alt}
    >
      {mediaKind(mimeType)}
    </span>
  );
}

/**
 * The screen at one moment: which creative the loop shows then (the loop starts when its version does), drawn
 * at the display's own aspect ratio.
 */
export function ScreenAt({
  segment,
  instant,
  timeZone,
  resolution,
  displayName,
  catalog,
}: {
  segment: { from: string; to: string; items: Item[] } | undefined;
  instant: Date;
  timeZone: string;
  resolution: { width: number; height: number };
  displayName: string;
  catalog: Catalog;
}) {
  const at = segment ? itemAt(segment, instant) : null;
  const creative = at ? catalog.creatives.get(at.item.creativeId) : undefined;
  const campaign = at?.item.campaignId ? catalog.campaigns.get(at.item.campaignId) : undefined;
  const portrait = resolution.height > resolution.width;
  return (
    <figure className="preview-screen" data-testid="preview-screen">
      <div
        className={`preview-screen-frame${portrait ? ' preview-screen-frame--portrait' : ''}`}
        style={{ aspectRatio: `${resolution.width} / ${resolution.height}` }}
      >
        {at ? (
          <CreativePicture creative={creative} mimeType={at.item.mimeType} className="preview-screen-content" />
        ) : (
          <span className="preview-screen-empty">Nothing scheduled: the screen shows the house content</span>
        )}
      </div>
      <figcaption data-testid="preview-screen-caption">
        At <strong>{localTime(instant, timeZone)}</strong>, {displayName}{' '}
        {at ? (
          <>
            shows <strong>{creative?.name ?? 'a creative'}</strong>
            {campaign ? <> of {campaign.name}</> : at.item.overrideId ? ' (emergency override)' : ''} — item{' '}
            {at.index + 1} of {segment!.items.length} in the loop.
          </>
        ) : (
          'has nothing scheduled.'
        )}{' '}
        <span className="muted">
          {resolution.width}×{resolution.height}, {portrait ? 'portrait' : 'landscape'}.
        </span>
      </figcaption>
    </figure>
  );
}
