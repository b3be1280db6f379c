// The layout designer, loaded on first visit.
export { LayoutsPage } from './layouts-page';
