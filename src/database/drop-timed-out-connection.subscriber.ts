import { AfterQueryEvent, EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import { closeIfTimedOut } from './sql';

/** Closes the connection of a statement TypeORM ran that timed out (see closeIfTimedOut). */
@EventSubscriber()
export class DropTimedOutConnectionSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    closeIfTimedOut((event.queryRunner as unknown as { databaseConnection?: { destroy(): void } }).databaseConnection, event.error);
  }
}
