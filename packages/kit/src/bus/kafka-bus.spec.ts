import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { createLogger } from '../logger.js';
import { waitFor } from '../testing/index.js';
import type { DeliveredMessage, EventBus } from './bus.js';
import { describeBusContract } from './bus.contract.js';
import { deadLetterTopic, KafkaBus } from './kafka-bus.js';

const brokers = process.env.KAFKA_BROKERS;

// Kafka has no embedded form: this runs only where KAFKA_BROKERS points at a real broker.
describe.runIf(brokers)(KafkaBus.name, () => {
  describeBusContract(
    KafkaBus.name,
    () =>
      new KafkaBus({
        brokers: (brokers ?? '').split(',').map((b) => b.trim()),
        clientId: `phub-kit-test-${randomUUID().slice(0, 8)}`,
        logger: createLogger('kafka-bus-test', 'silent'),
        maxAttempts: 3,
        retryDelayMs: 5,
      }),
    {
      maxAttempts: 3,
      sharedStore: true,
      // Reads `<topic>.dlq` with a group of its own; the contract polls until the letter is there.
      deadLetters: async (bus: EventBus, topic: string) => {
        const letters: DeliveredMessage[] = [];
        const reader = await bus.subscribe({
          groupId: `dlq-reader-${randomUUID().slice(0, 8)}`,
          topics: [deadLetterTopic(topic)],
          fromBeginning: true,
          handler: async (m) => void letters.push(m),
        });
        // A new group needs a moment to join and fetch; an empty answer makes the contract ask again.
        await waitFor(() => letters.length > 0, { timeoutMs: 5_000 }).catch(() => undefined);
        await reader.close();
        return letters;
      },
    },
  );
});
