// The dashboard's shared UI: every page builds from these.
export { Page, Section, type PageProps } from './page';
export { Loading, Empty, ErrorNotice, Notice } from './feedback';
export { ConnectionPager, Pager, useCursorPager, type CursorPager, type PagerProps } from './pager';
export { StatusBadge, statusLabel } from './status-badge';
export { DataTable, type Column, type DataTableProps, type SortState } from './data-table';
export { Button, ButtonLink, type ButtonProps, type ButtonVariant } from './button';
export { Field, type FieldProps, type FieldControlProps } from './field';
export { Dialog, type DialogProps } from './dialog';
export { Toaster, useToast, type Toasts, type ToastKind } from './toast';
export { Tabs, type TabDef } from './tabs';
export { useDebounced } from './hooks';
export { formatDateTime, formatDuration, formatBytes } from '../lib/format';
