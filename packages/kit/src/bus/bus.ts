/** A message as published: the key decides the partition, so one key's messages stay in order. */
export interface OutgoingMessage {
  key: string;
  value: unknown;
  headers?: Record<string, string>;
}

export interface DeliveredMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
  timestamp: number;
}

export interface SubscribeOptions {
  /** Members of one group share the work; every group sees every message. */
  groupId: string;
  topics: string[];
  /** A new group starts at the oldest retained message instead of the newest. */
  fromBeginning?: boolean;
  /**
   * Throwing leaves the message uncommitted; it is delivered again after a back-off. After the bus's
   * `maxAttempts` failures it goes to the dead letters and the partition moves on.
   */
  handler: (message: DeliveredMessage) => Promise<void>;
}

export interface BusSubscription {
  close(): Promise<void>;
}

/** Messages for one topic, as `publishBatch` takes them. */
export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

export interface EventBus {
  readonly kind: 'memory' | 'kafka' | 'postgres';
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  /**
   * Messages of several topics in one request (Kafka's sendBatch): each is accepted or the call fails; per key,
   * the order given. The outbox relay sends each batch of its rows so.
   */
  publishBatch(batches: TopicMessages[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<BusSubscription>;
  /** Resolves when the bus can accept messages (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Partition for a key: the same key always lands on the same partition. */
export function partitionFor(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
