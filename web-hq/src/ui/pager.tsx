import { useCallback, useState } from 'react';

export interface PagerProps {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined | null;
  onNext: (endCursor: string) => void;
  onPrev?: () => void;
  canPrev?: boolean;
  /** "1–20 of 57" when given */
  totalCount?: number;
  /** Rows on this page and the index of its first row (0-based), for the range label */
  pageSize?: number;
  offset?: number;
  label?: string;
}

/** Previous / next for cursor pagination (Relay connections). */
export function Pager({
  pageInfo,
  onNext,
  onPrev,
  canPrev,
  totalCount,
  pageSize,
  offset = 0,
  label = 'Pages',
}: PagerProps) {
  const hasNext = !!pageInfo?.hasNextPage && !!pageInfo.endCursor;
  const prevEnabled = !!onPrev && (canPrev ?? true);
  if (!hasNext && !prevEnabled && totalCount === undefined) return null;
  const range =
    totalCount !== undefined
      ? totalCount === 0
        ? '0 results'
        : `${offset + 1}–${Math.min(offset + (pageSize ?? totalCount), totalCount)} of ${totalCount}`
      : null;
  return (
    <nav className="pager" aria-label={label}>
      {onPrev ? (
        <button type="button" className="button button--secondary" onClick={onPrev} disabled={!prevEnabled}>
          ← Previous
        </button>
      ) : null}
      {range ? (
        <span className="pager-range" aria-live="polite">
          {range}
        </span>
      ) : null}
      <button
        type="button"
        className="button button--secondary"
        onClick={() => pageInfo?.endCursor && onNext(pageInfo.endCursor)}
        disabled={!hasNext}
      >
        Next →
      </button>
    </nav>
  );
}

/** Cursor stack for Pager: `after` for the query, next/prev to move, reset when filters change. */
export function useCursorPager(pageSize = 20) {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const after = stack[stack.length - 1] ?? null;
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const prev = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return { after, next, prev, reset, canPrev: stack.length > 1, offset: (stack.length - 1) * pageSize, pageSize };
}

export type CursorPager = ReturnType<typeof useCursorPager>;

/** The Pager of a Relay connection paged with useCursorPager, with "1–20 of 57"; nothing for an empty list. */
export function ConnectionPager({
  connection,
  paging,
  label,
}: {
  connection: { totalCount: number; pageInfo: PagerProps['pageInfo'] } | null | undefined;
  paging: CursorPager;
  label: string;
}) {
  if (!connection?.totalCount) return null;
  return (
    <Pager
      pageInfo={connection.pageInfo}
      onNext={paging.next}
      onPrev={paging.prev}
      canPrev={paging.canPrev}
      totalCount={connection.totalCount}
      pageSize={paging.pageSize}
      offset={paging.offset}
      label={label}
    />
  );
}
