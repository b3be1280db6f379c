import { withRequestId } from '../request-context.js';
import type { Logger } from '../logger.js';
import {
  partitionFor,
  type BusSubscription,
  type DeliveredMessage,
  type EventBus,
  type OutgoingMessage,
  type SubscribeOptions,
  type TopicMessages,
} from './bus.js';
import { deliverWithRetries, type DeadLetter, type RetryOptions } from './dead-letter.js';

interface Partition {
  base: number; // offset of log[0]
  log: DeliveredMessage[];
}

interface Member {
  id: number;
  options: SubscribeOptions;
  /** Aborted when the member leaves, so its retries stop waiting. */
  left: AbortController;
}

interface Group {
  members: Member[];
  /** next offset to deliver, per topic and partition */
  committed: Map<string, number[]>;
  /** partitions a pump is working on right now */
  busy: Set<string>;
}

/**
 * In-process bus with Kafka's semantics where they matter to callers: keyed
 * partitions with per-key order, consumer groups that each see every message,
 * at-least-once delivery with retry on handler failure and dead letters. Nothing
 * survives the process, so it serves tests and tools, not the platform (which runs
 * on the Postgres bus when there is no Kafka).
 */
export class MemoryBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly topics = new Map<string, Partition[]>();
  private readonly groups = new Map<string, Group>();
  private nextMemberId = 1;
  private closed = false;
  /**
   * Messages whose handler failed on every attempt. In memory like everything else here: the error
   * log line that goes with each one is its durable record.
   */
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly options: { partitions?: number; retention?: number; logger?: Logger } & RetryOptions = {},
  ) {}

  private get partitions() {
    return this.options.partitions ?? 4;
  }

  private topic(name: string): Partition[] {
    let parts = this.topics.get(name);
    if (!parts) {
      parts = Array.from({ length: this.partitions }, () => ({ base: 0, log: [] }));
      this.topics.set(name, parts);
    }
    return parts;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    const parts = this.topic(topic);
    for (const m of withRequestId(messages)) {
      const partition = partitionFor(m.key, this.partitions);
      const part = parts[partition]!;
      part.log.push({
        topic,
        partition,
        offset: String(part.base + part.log.length),
        key: m.key,
        // Consumers get their own copy, as they would from a broker.
        value: structuredClone(m.value),
        headers: { ...m.headers },
        timestamp: Date.now(),
      });
    }
    this.trim(topic);
    for (const [groupId, group] of this.groups) {
      if (group.members.some((mem) => mem.options.topics.includes(topic))) this.schedule(groupId);
    }
  }

  async publishBatch(batches: TopicMessages[]): Promise<void> {
    for (const { topic, messages } of batches) await this.publish(topic, messages);
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = { members: [], committed: new Map(), busy: new Set() };
      this.groups.set(options.groupId, group);
    }
    for (const topic of options.topics) {
      if (!group.committed.has(topic)) {
        const parts = this.topic(topic);
        group.committed.set(
          topic,
          parts.map((p) => (options.fromBeginning ? p.base : p.base + p.log.length)),
        );
      }
    }
    const member: Member = { id: this.nextMemberId++, options, left: new AbortController() };
    group.members.push(member);
    this.schedule(options.groupId);
    return {
      close: async () => {
        member.left.abort();
        group.members = group.members.filter((m) => m !== member);
      },
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const group of this.groups.values()) {
      for (const member of group.members) member.left.abort();
      group.members = [];
    }
  }

  /** Partition p of a topic belongs to the member at p mod (members reading that topic). */
  private owner(group: Group, topic: string, partition: number): Member | undefined {
    const readers = group.members.filter((m) => m.options.topics.includes(topic));
    return readers.length ? readers[partition % readers.length] : undefined;
  }

  private schedule(groupId: string): void {
    queueMicrotask(() => void this.pump(groupId));
  }

  private async pump(groupId: string): Promise<void> {
    const group = this.groups.get(groupId);
    if (!group || this.closed) return;
    for (const [topic, offsets] of group.committed) {
      const parts = this.topic(topic);
      parts.forEach((_, partition) => {
        const slot = `${topic}/${partition}`;
        if (group.busy.has(slot)) return;
        group.busy.add(slot);
        void this.drain(group, topic, partition, offsets).finally(() => {
          group.busy.delete(slot);
          // A publish may have landed between the last read and now.
          const part = parts[partition]!;
          const pending = offsets[partition]! < part.base + part.log.length;
          if (pending && !this.closed && this.owner(group, topic, partition)) this.schedule(groupId);
        });
      });
    }
  }

  private async drain(group: Group, topic: string, partition: number, offsets: number[]): Promise<void> {
    const part = this.topic(topic)[partition]!;
    for (;;) {
      if (this.closed) return;
      const member = this.owner(group, topic, partition);
      if (!member) return;
      const next = Math.max(offsets[partition]!, part.base);
      const message = part.log[next - part.base];
      if (!message) return;
      const outcome = await deliverWithRetries(message, {
        groupId: member.options.groupId,
        handler: member.options.handler,
        retry: this.options,
        logger: this.options.logger,
        signal: member.left.signal,
        store: async (letter) => void this.deadLetters.push(letter),
      });
      // Stopped: the member left mid-retry; the next owner starts this message afresh.
      if (outcome !== 'stopped') offsets[partition] = next + 1;
    }
  }

  /** Drops messages every group has consumed, beyond the retention count. */
  private trim(topic: string): void {
    const retention = this.options.retention ?? 10_000;
    this.topic(topic).forEach((part, partition) => {
      if (part.log.length <= retention) return;
      let minCommitted = part.base + part.log.length;
      for (const group of this.groups.values()) {
        const offsets = group.committed.get(topic);
        if (offsets) minCommitted = Math.min(minCommitted, offsets[partition]!);
      }
      const drop = Math.min(part.log.length - retention, minCommitted - part.base);
      if (drop > 0) {
        part.log.splice(0, drop);
        part.base += drop;
      }
    });
  }
}
