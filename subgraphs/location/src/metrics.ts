import { ServiceMetrics } from '@phub/kit';

export function createLocationMetrics(): ServiceMetrics {
  return new ServiceMetrics('location');
}
