import { errorCode } from '@phub/web-kit';
import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useClient } from 'urql';
import { graphql } from '../../gql';
import type { CampaignOfferState } from '../../gql/graphql';
import { useI18n } from '../../lib/i18n';
import { scanOnce } from '../../lib/offer';

const OfferScan = graphql(`
  mutation OfferScan($campaignId: ID!) {
    scanCampaignOffer(campaignId: $campaignId) {
      ...OfferFields
    }
  }
`);

const OfferRead = graphql(`
  query OfferRead($campaignId: ID!) {
    campaignOffer(campaignId: $campaignId) {
      ...OfferFields
    }
  }
`);

graphql(`
  fragment OfferFields on CampaignOffer {
    campaignId
    state
    headline
    body
    ctaLabel
    ctaUrl
    validUntil
  }
`);

interface Offer {
  campaignId: string;
  state: CampaignOfferState;
  headline: string;
  body?: string | null;
  ctaLabel?: string | null;
  ctaUrl?: string | null;
  validUntil?: string | null;
}

/** No account and no token: the offer is public once its campaign is approved. */
const PUBLIC = { skipAuth: true } as const;

/**
 * A campaign's landing page (Campaign-Site), opened from its QR code. Opening it counts one scan, once per
 * browser session (a reload or the language switch does not count again).
 */
export function OfferPage() {
  const { campaignId = '' } = useParams();
  const { t, locale } = useI18n();
  const client = useClient();
  const [offer, setOffer] = useState<Offer | null>(null);
  const [failure, setFailure] = useState<'notFound' | 'generic' | null>(null);

  useEffect(() => {
    let cancelled = false;
    void scanOnce(sessionStorage, campaignId, async (count) => {
      const res = count
        ? await client.mutation(OfferScan, { campaignId }, PUBLIC).toPromise()
        : await client.query(OfferRead, { campaignId }, { ...PUBLIC, requestPolicy: 'network-only' }).toPromise();
      const data = res.data && ('scanCampaignOffer' in res.data ? res.data.scanCampaignOffer : res.data.campaignOffer);
      if (cancelled) return !!data;
      if (data) setOffer(data as Offer);
      else setFailure(res.error && errorCode(res.error) === 'NOT_FOUND' ? 'notFound' : 'generic');
      return !!data;
    });
    return () => {
      cancelled = true;
    };
  }, [campaignId, client]);

  useEffect(() => {
    document.title = offer ? `${offer.headline} — ${t('offer.title')}` : t('offer.title');
  }, [offer, t]);

  const until = useMemo(() => {
    if (!offer?.validUntil) return null;
    const [y, m, d] = offer.validUntil.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, d)),
    );
  }, [offer, locale]);

  if (failure) {
    return (
      <section className="offer" aria-labelledby="page-title">
        <h1 id="page-title">{t('offer.title')}</h1>
        <p role="alert">{failure === 'notFound' ? t('offer.notFound') : t('error.generic')}</p>
      </section>
    );
  }
  if (!offer) return <p role="status">{t('offer.loading')}</p>;
  const available = offer.state === 'AVAILABLE';
  return (
    <article className={`offer offer--${offer.state.toLowerCase()}`} aria-labelledby="page-title">
      <p className="offer-kicker">{t('offer.title')}</p>
      <h1 id="page-title">{offer.headline}</h1>
      {!available ? (
        <p className="notice notice--info" role="status">
          {offer.state === 'ENDED' ? t('offer.ended') : t('offer.upcoming')}
        </p>
      ) : null}
      {offer.body ? <p className="offer-body">{offer.body}</p> : null}
      {until && offer.state !== 'ENDED' ? <p className="muted">{t('offer.validUntil', { date: until })}</p> : null}
      {available && offer.ctaLabel && offer.ctaUrl ? (
        <a className="button button--primary button--big offer-cta" href={offer.ctaUrl} rel="noopener noreferrer">
          {offer.ctaLabel}
        </a>
      ) : null}
    </article>
  );
}
