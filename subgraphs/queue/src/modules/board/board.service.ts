import { type Clock, forbidden } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { QueueScope } from '../../scope.js';
import { isUuid, tableName } from '../../tables.js';
import { EstimateService } from '../estimate/estimate.service.js';
import { isOpenAt } from '../line/line.hours.js';
import type { LineService } from '../line/line.service.js';
import type { QueueBoard, QueueBoardCall } from './board.types.js';

/** At most this many waiting numbers per line (the screen's "next" list). */
export const MAX_NEXT = 20;
// A busy store rarely has more desks calling one line at once; more would not fit on a screen anyway.
const MAX_CALLED = 10;

/** The "now serving" board of a store, for its queue screens (and anyone else who may read its queue). */
export class BoardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LineService,
    private readonly estimates: EstimateService,
    private readonly clock: Clock,
  ) {}

  async board(scope: QueueScope, storeId: string, next = 5): Promise<QueueBoard> {
    // FORBIDDEN before NOT_FOUND: a display of another store learns nothing about this one.
    if (!isUuid(storeId) || !scope.canRead(scope.tenantId, storeId)) {
      throw forbidden(`You have no access to the queue of store ${storeId}`);
    }
    const store = await this.lines.knownStore(scope.tenantId, storeId);
    const lines = await this.lines.list(scope, storeId);
    const now = this.clock.now();
    const ids = lines.map((l) => l.id);
    const take = Math.max(0, Math.min(MAX_NEXT, Math.trunc(next)));
    const ticket = tableName(this.dataSource, 'ticket');
    const [called, waiting, loads] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM (
           SELECT t."line_id", t."number", d."name" AS "desk", t."called_at", t."recall_count",
             greatest(t."called_at", coalesce(t."recalled_at", t."called_at")) AS "last_called_at",
             row_number() OVER (PARTITION BY t."line_id"
               ORDER BY greatest(t."called_at", coalesce(t."recalled_at", t."called_at")) DESC, t."seq" DESC) AS "r"
           FROM ${ticket} t LEFT JOIN ${tableName(this.dataSource, 'desk')} d ON d."id" = t."desk_id"
           WHERE t."tenant_id" = $1 AND t."store_id" = $2 AND t."state" = 'CALLED' AND t."line_id" = ANY($3::uuid[])
         ) c WHERE "r" <= ${MAX_CALLED} ORDER BY "line_id", "r"`,
        [scope.tenantId, storeId, ids],
      ) as Promise<
        {
          line_id: string;
          number: string;
          desk: string | null;
          called_at: Date;
          last_called_at: Date;
          recall_count: number;
        }[]
      >,
      this.dataSource.query(
        `SELECT "line_id", "number" FROM (
           SELECT "line_id", "number", row_number() OVER (PARTITION BY "line_id" ORDER BY "queued_at", "seq") AS "r"
           FROM ${ticket}
           WHERE "tenant_id" = $1 AND "store_id" = $2 AND "state" = 'NEW' AND NOT "parked" AND "line_id" = ANY($3::uuid[])
         ) w WHERE "r" <= $4 ORDER BY "line_id", "r"`,
        [scope.tenantId, storeId, ids, take],
      ) as Promise<{ line_id: string; number: string }[]>,
      this.estimates.loadMany(ids),
    ]);
    return {
      storeId,
      at: new Date(now),
      lines: lines.map((line) => {
        const load = loads.get(line.id)!;
        return {
          lineId: line.id,
          name: line.name,
          prefix: line.prefix,
          isOpen: isOpenAt(line.openingHours ?? store.openingHours, store.timezone, now),
          called: called
            .filter((c) => c.line_id === line.id)
            .map((c): QueueBoardCall => ({
              number: c.number,
              desk: c.desk,
              calledAt: new Date(c.called_at),
              lastCalledAt: new Date(c.last_called_at),
              recallCount: c.recall_count,
            })),
          next: waiting.filter((w) => w.line_id === line.id).map((w) => w.number),
          waiting: load.waiting,
          estimatedWaitMinutes: EstimateService.minutes(load, load.waiting),
        };
      }),
    };
  }
}
