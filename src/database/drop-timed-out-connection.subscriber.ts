import { AfterQueryEvent, EntitySubscriberInterface, EventSubscriber } from 'typeorm';

/**
 * mysql2 gives up on a statement after DB_QUERY_TIMEOUT_MS but keeps the connection, with the
 * statement still queued on it: the ROLLBACK that follows would wait behind it for as long again,
 * and so would the next user of the connection. Closing it answers both at once; the server rolls
 * back whatever the connection had open.
 */
@EventSubscriber()
export class DropTimedOutConnectionSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if ((event.error as { code?: string } | undefined)?.code !== 'PROTOCOL_SEQUENCE_TIMEOUT') return;
    (event.queryRunner as unknown as { databaseConnection?: { destroy(): void } }).databaseConnection?.destroy();
  }
}
