import { withRequestId } from '../request-context.js';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from '../logger.js';
import type {
  BusSubscription,
  DeliveredMessage,
  EventBus,
  OutgoingMessage,
  SubscribeOptions,
  TopicMessages,
} from './bus.js';
import { deliverWithRetries, type DeadLetter, type RetryOptions } from './dead-letter.js';

/** Where the dead letters of a topic go: Kafka's usual `<topic>.dlq`, kept as long as the cluster keeps topics. */
export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

/**
 * The bus on Kafka (MSK): JSON values, string keys, one kafkajs consumer per subscription. A message
 * whose handler keeps failing is copied to `<topic>.dlq` (same key and value, the failure in headers).
 */
export class KafkaBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();
  private connected?: Promise<void>;

  constructor(
    private readonly options: {
      brokers: string[];
      clientId: string;
      partitions?: number;
      logger: Logger;
    } & RetryOptions,
  ) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      retry: { retries: 5 },
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.admin = this.kafka.admin();
  }

  private connect(): Promise<void> {
    this.connected ??= Promise.all([this.producer.connect(), this.admin.connect()]).then(() => undefined);
    return this.connected;
  }

  private async ensureTopics(topics: string[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t));
    if (!missing.length) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 4 })),
    });
    for (const t of missing) this.knownTopics.add(t);
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.publishBatch([{ topic, messages }]);
  }

  async publishBatch(batches: TopicMessages[]): Promise<void> {
    const topicMessages = batches.filter((b) => b.messages.length);
    if (!topicMessages.length) return;
    await this.connect();
    await this.ensureTopics([...new Set(topicMessages.map((b) => b.topic))]);
    await this.producer.sendBatch({
      topicMessages: topicMessages.map(({ topic, messages }) => ({
        topic,
        messages: withRequestId(messages).map((m) => ({
          key: m.key,
          value: JSON.stringify(m.value),
          headers: m.headers,
        })),
      })),
    });
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    await this.connect();
    await this.ensureTopics(options.topics);
    const consumer = this.kafka.consumer({ groupId: options.groupId, retry: { retries: Number.MAX_SAFE_INTEGER } });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? false });
    // run() resolves before the group is joined; wait for the join so that the group is settled (partitions
    // assigned, other members rebalanced) when subscribe() returns, as with the in-process bus.
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    const closing = new AbortController();
    await consumer.run({
      // kafkajs commits only after eachMessage resolves: retries happen here, and a message leaves its
      // partition either handled or stored in the dead-letter topic.
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
        const delivered: DeliveredMessage = {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value ? (JSON.parse(message.value.toString()) as unknown) : null,
          headers,
          timestamp: Number(message.timestamp),
        };
        const outcome = await deliverWithRetries(delivered, {
          groupId: options.groupId,
          handler: options.handler,
          retry: this.options,
          logger: this.options.logger,
          signal: closing.signal,
          store: (letter) => this.storeDeadLetter(letter, message.value),
        });
        // Closing mid-retry: leave the offset uncommitted so that the next member starts here.
        if (outcome === 'stopped') throw new Error('subscription closed while the message was being retried');
      },
    });
    await joined;
    this.consumers.add(consumer);
    return {
      close: async () => {
        closing.abort();
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  private async storeDeadLetter(letter: DeadLetter, raw: Buffer | null): Promise<void> {
    const m = letter.message;
    const topic = deadLetterTopic(m.topic);
    await this.ensureTopics([topic]);
    await this.producer.send({
      topic,
      messages: [
        {
          key: m.key,
          value: raw,
          headers: {
            ...m.headers,
            'x-dlq-topic': m.topic,
            'x-dlq-partition': String(m.partition),
            'x-dlq-offset': m.offset,
            'x-dlq-group': letter.groupId,
            'x-dlq-attempts': String(letter.attempts),
            'x-dlq-error': letter.error.slice(0, 4_000),
          },
        },
      ],
    });
  }

  async ping(): Promise<void> {
    await this.connect();
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    if (this.connected) await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}
