import type { Logger, Viewer } from '@phub/kit';
import type { PersonalRecord } from './personal-data.js';
import type { VisitorScope } from './scope.js';

export interface VisitorContext {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  scope: VisitorScope;
  /** Profiles' records opened in this request (each opened once), and the fields already audited. */
  opened: Map<string, Promise<PersonalRecord | null>>;
  audited: Set<string>;
}
