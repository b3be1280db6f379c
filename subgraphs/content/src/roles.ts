import { Role } from '@phub/kit';

/** See sources and their health. */
export const SOURCE_READERS = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER];
/** Browse AEM and pick content. */
export const BROWSERS = [Role.HQ_ADMIN, Role.HQ_EDITOR];
/** Add, change, remove and test sources. */
export const MANAGERS = [Role.HQ_ADMIN];
