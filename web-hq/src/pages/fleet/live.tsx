import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql';
import type { DisplayStatus } from '../../gql/graphql';
import { applyChange, type LiveStatus, type Overlay } from './status';

/** One status change as the fleet pages use it. */
export interface StatusChange {
  displayId: string;
  status: DisplayStatus;
  previous: DisplayStatus;
  at: string;
  lastSeenAt: string | null;
}

export type FeedState = 'connecting' | 'live' | 'error';

const FleetStatusChanges = graphql(`
  subscription FleetStatusChanges($storeId: ID) {
    displayStatusChanges(storeId: $storeId) {
      displayId
      status
      previous
      at
      display {
        id
        lastSeenAt
      }
    }
  }
`);

/**
 * Live display statuses: one tenant-wide subscription (or one store's with `storeId`), each change reported to
 * `onChange` as it arrives. Renders nothing.
 */
export function StatusFeed({
  storeId,
  onChange,
  onState,
}: {
  storeId?: string;
  onChange: (c: StatusChange) => void;
  onState?: (s: FeedState) => void;
}) {
  const client = useClient();
  const handlers = useRef({ onChange, onState });
  useEffect(() => {
    handlers.current = { onChange, onState };
  }, [onChange, onState]);

  useEffect(() => {
    // Subscribed directly (not with useSubscription) so that every event is seen, even several in one tick.
    handlers.current.onState?.('connecting');
    let failed = false;
    const { unsubscribe } = client
      .subscription(FleetStatusChanges, { storeId: storeId ?? null })
      .subscribe((result) => {
        if (result.error) {
          failed = true;
          handlers.current.onState?.('error');
          return;
        }
        const ev = result.data?.displayStatusChanges;
        if (!ev) return;
        failed = false;
        handlers.current.onState?.('live');
        handlers.current.onChange({
          displayId: ev.displayId,
          status: ev.status,
          previous: ev.previous,
          at: ev.at,
          lastSeenAt: ev.display.lastSeenAt ?? null,
        });
      });
    // No event has to come for the feed to be up: the socket reports failures as errors.
    const settled = setTimeout(() => {
      if (!failed) handlers.current.onState?.('live');
    }, 1500);
    return () => {
      clearTimeout(settled);
      unsubscribe();
    };
  }, [client, storeId]);
  return null;
}

/**
 * Live overlay state plus a polite announcement for screen readers and a short visible log. `describe` words a
 * change; an empty string keeps it silent (a display that is not on screen still counts in the summary).
 */
export function useLiveStatuses(describe: (c: StatusChange) => string) {
  const [overlay, setOverlay] = useState<Overlay>(() => new Map<string, LiveStatus>());
  const [announcement, setAnnouncement] = useState('');
  const [log, setLog] = useState<{ key: string; text: string; status: DisplayStatus; at: string }[]>([]);
  const [feed, setFeed] = useState<FeedState>('connecting');
  const describeRef = useRef(describe);
  useEffect(() => {
    describeRef.current = describe;
  }, [describe]);
  const onChange = useCallback((c: StatusChange) => {
    setOverlay((o) => applyChange(o, c.displayId, { status: c.status, at: c.at, lastSeenAt: c.lastSeenAt }));
    const text = describeRef.current(c);
    if (!text) return;
    setAnnouncement(text);
    setLog((l) => [{ key: `${c.displayId}@${c.at}`, text, status: c.status, at: c.at }, ...l].slice(0, 5));
  }, []);
  /** Forget live changes (before reloading: what loads next is newer). */
  const reset = useCallback(() => setOverlay(new Map<string, LiveStatus>()), []);
  return { overlay, announcement, log, feed, onChange, onState: setFeed, reset };
}
