/** Every module of the platform has the same life cycle, so one binary can run any set of them. */
export interface Service {
  readonly name: string;
  start(): Promise<void>;
  /** Drains in-flight work, then releases resources. */
  stop(): Promise<void>;
  /** The GraphQL endpoint once started, for services that serve one. */
  readonly url?: string;
}
