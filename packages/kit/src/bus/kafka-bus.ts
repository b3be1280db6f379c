import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from '../logger.js';
import type { BusSubscription, EventBus, OutgoingMessage, SubscribeOptions } from './bus.js';

/** The bus on Kafka (MSK): JSON values, string keys, one kafkajs consumer per subscription. */
export class KafkaBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();
  private connected?: Promise<void>;

  constructor(private readonly options: { brokers: string[]; clientId: string; partitions?: number; logger: Logger }) {
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
    await this.connect();
    await this.ensureTopics([topic]);
    await this.producer.send({
      topic,
      messages: messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: m.headers })),
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
    await consumer.run({
      // kafkajs commits only after eachMessage resolves, so a throwing handler sees the message again.
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(v);
        await options.handler({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value ? JSON.parse(message.value.toString()) : null,
          headers,
          timestamp: Number(message.timestamp),
        });
      },
    });
    await joined;
    this.consumers.add(consumer);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
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
