import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A line's active tickets (waiting, parked or called) by an index: every ticket change counts them for the line's
 * `queue.line.v1` state (TicketEvents.lineChanged), and remote joins count the waiting ones. Without it each count
 * was a sequential scan of every ticket of every store (the queue benchmark: one per action).
 */
export class QueueTicketActiveIndex1764000000610 implements MigrationInterface {
  name = 'QueueTicketActiveIndex1764000000610';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(
      `CREATE INDEX "ticket_line_active" ON ${s}."ticket" ("line_id", "state", "parked") WHERE "state" IN ('NEW', 'CALLED')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${runner.connection.driver.schema ?? 'queue'}"`;
    await runner.query(`DROP INDEX ${s}."ticket_line_active"`);
  }
}
