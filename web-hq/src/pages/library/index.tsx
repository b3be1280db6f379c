// The media library, loaded on first visit.
export { LibraryPage } from './library-page';
