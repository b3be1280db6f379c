import { Creatives1764000000300 } from '../../migrations/1764000000300-creatives.js';
import { CreativeBuiltIns1764000000320 } from '../../migrations/1764000000320-creative-built-ins.js';
import { CreativeAemContent1764000000380 } from '../../migrations/1764000000380-creative-aem-content.js';
import { CreativeLibrary1764000000400 } from '../../migrations/1764000000400-creative-library.js';
import { Creative } from './creative.entity.js';

export { BUILT_IN, type BuiltIn } from './creative.builtin.js';
export {
  BuiltInCreativeKind,
  Creative,
  CreativeKind,
  CreativeOrientation,
  CreativeStatus,
  FitMode,
  orientationOf,
  CreativeUpload,
  CreativeVariant,
  HttpHeader,
  type PendingVariant,
  type VariantData,
} from './creative.entity.js';
export {
  AddCreativeVariantInput,
  CreateAemCreativeInput,
  CreateBuiltInCreativeInput,
  CreateCreativeUploadInput,
  CreativeFilter,
  CreativesArgs,
  UpdateCreativeInput,
  MAX_DURATION_MS,
  MIN_DURATION_MS,
} from './creative.input.js';
export { CreativeConnection, CreativeResolver, type CreativeContext } from './creative.resolver.js';
export {
  ALLOWED_MIME_TYPES,
  canonicalLocale,
  CreativeService,
  DEFAULT_MAX_BYTES,
  isPlayable,
  normaliseTags,
  toEngineCreative,
  variantKey,
  type CreativeServiceOptions,
  type CreativeUploadResult,
} from './creative.service.js';
export { CAMPAIGN_READ_SCOPE, CREATIVE_READ_RULES, CREATIVE_WRITE_RULES, CreativeScope } from './creative.scope.js';
export { CreativeCleanup, type CreativeCleanupOptions, type CreativeCleanupResult } from './creative.cleanup.js';
export { CREATIVE_CLEANUP_JOB, creativeCleanupJob } from './creative.job.js';
export { CreativeUse, creativeUses } from './creative.usage.js';
export { mountCreativeRoutes, type CreativeRouteDeps } from './creative.routes.js';
export { DEMO_BUILT_INS, DEMO_CREATIVES, demoCreativeId, seedDemoCreatives } from './creative.demo.js';

export const creativeEntities = [Creative];
export const creativeMigrations = [
  Creatives1764000000300,
  CreativeBuiltIns1764000000320,
  CreativeAemContent1764000000380,
  CreativeLibrary1764000000400,
];
