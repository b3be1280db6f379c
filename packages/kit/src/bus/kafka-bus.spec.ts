import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { createLogger } from '../logger.js';
import { describeBusContract } from './bus.contract.js';
import { KafkaBus } from './kafka-bus.js';

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
      }),
  );
});
