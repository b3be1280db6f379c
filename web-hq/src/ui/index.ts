// The dashboard's shared UI: every page builds from these (the basic parts come from @phub/web-kit).
export { Page, Section, type PageProps } from './page';
export { Loading, Empty, ErrorNotice, Notice, Button, Field } from '@phub/web-kit';
export type { ButtonProps, ButtonVariant, FieldProps, FieldControlProps } from '@phub/web-kit';
export { ConnectionPager, Pager, useCursorPager, type CursorPager, type PagerProps } from './pager';
export { StatusBadge, statusLabel } from './status-badge';
export { DataTable, type Column, type DataTableProps, type SortState } from './data-table';
export { ButtonLink } from './button';
export { Dialog, type DialogProps } from './dialog';
export { Toaster, useToast, type Toasts, type ToastKind, type ToastOptions } from './toast';
export { Tabs, type TabDef } from './tabs';
export { useDebounced } from './hooks';
export { formatDateTime, formatDuration, formatBytes } from '../lib/format';
