import type { ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Makes the header a sort button */
  sortable?: boolean;
  className?: string;
  /** The row's header cell (th scope=row), usually the name */
  rowHeader?: boolean;
}

export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

export interface DataTableProps<T> {
  caption: string;
  /** Visually hide the caption (it stays for screen readers) */
  hideCaption?: boolean;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  sort?: SortState;
  onSort?: (key: string) => void;
  /** Shown (in a row spanning the table) when there are no rows */
  empty?: ReactNode;
}

/** A semantic table with optional sortable headers (aria-sort), scrollable on narrow screens. */
export function DataTable<T>({ caption, hideCaption, columns, rows, rowKey, sort, onSort, empty }: DataTableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th key={c.key} scope="col" className={c.className} aria-sort={ariaSort}>
                  {c.sortable && onSort ? (
                    <button type="button" className="sort-button" onClick={() => onSort(c.key)}>
                      {c.header}
                      <span aria-hidden="true" className="sort-indicator">
                        {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty ? (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) =>
                  c.rowHeader ? (
                    <th key={c.key} scope="row" className={c.className}>
                      {c.render(row)}
                    </th>
                  ) : (
                    <td key={c.key} className={c.className}>
                      {c.render(row)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
