import { ServiceMetrics } from '@phub/kit';

// What this service uses of prom-client's Counter and Histogram (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
}
export interface HistogramOf<L extends string> {
  observe(labels: Partial<Record<L, string>>, value: number): void;
}

/** `phub_content_…` metrics: AEM reads by API and outcome (a stable error code or `ok`); never a source id. */
export class ContentMetrics extends ServiceMetrics {
  readonly aemRequests: CounterOf<'api' | 'outcome'>;
  readonly aemSeconds: HistogramOf<'api'>;

  constructor() {
    super('content');
    this.aemRequests = this.counter('aem_requests_total', 'AEM reads by API and outcome', ['api', 'outcome']);
    this.aemSeconds = this.histogram('aem_request_duration_seconds', 'AEM reads, retries included', ['api']);
  }
}

export function createContentMetrics(): ContentMetrics {
  return new ContentMetrics();
}
