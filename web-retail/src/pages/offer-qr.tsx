import { ErrorNotice } from '@phub/web-kit';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { offerUrl } from '../lib/offer';
import { qrPath } from '../lib/qr';

const RetailOfferScans = graphql(`
  query RetailOfferScans($id: ID!) {
    campaign(id: $id) {
      id
      landingScanCount
    }
  }
`);

/** A campaign's offer page: the QR code to print or show, its address, and how often it was scanned. */
export function OfferQr({ campaignId, headline }: { campaignId: string; headline: string }) {
  const url = offerUrl(new URL(import.meta.env.BASE_URL, window.location.href).href, campaignId);
  return (
    <details className="edit-display offer-qr-details">
      <summary>Offer page and QR code</summary>
      <div className="offer-qr">
        <QrCode text={url} label={`QR code for the offer “${headline}”`} />
        <div>
          <p>
            <strong>{headline}</strong>
          </p>
          <p className="small break">
            <a href={url} target="_blank" rel="noreferrer">
              {url}
            </a>
          </p>
          <OfferScans campaignId={campaignId} />
        </div>
      </div>
    </details>
  );
}

function OfferScans({ campaignId }: { campaignId: string }) {
  const [result] = useQuery({ query: RetailOfferScans, variables: { id: campaignId }, requestPolicy: 'network-only' });
  if (result.error) return <ErrorNotice error={result.error} />;
  const count = result.data?.campaign?.landingScanCount;
  const text =
    count === undefined
      ? 'Counting scans…'
      : count === 0
        ? 'Not scanned yet'
        : count === 1
          ? 'Scanned once'
          : `Scanned ${count} times`;
  return <p className="small muted">{text}</p>;
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, d } = qrPath(text);
  return (
    <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
