export { subscriptionsOverHttpGuard } from './http-guard.js';
export { CloseCode, SubscriptionErrorCode } from './subscription-errors.js';
export { SubscriptionService, type SubscriptionServiceOptions } from './subscription-service.js';
export type { PlanningEngine } from './graph-planner.js';
