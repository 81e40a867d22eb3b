import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateOutboxEvents1795644009367 implements MigrationInterface {
    name = 'CreateOutboxEvents1795644009367'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`outbox_events\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`event_id\` char(36) NOT NULL, \`type\` varchar(100) NOT NULL, \`payload\` json NOT NULL, \`status\` enum ('PENDING', 'SENT', 'DEAD') NOT NULL DEFAULT 'PENDING', \`attempts\` int UNSIGNED NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`last_error\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`sent_at\` datetime(3) NULL, UNIQUE INDEX \`uq_outbox_events_event_id\` (\`event_id\`), INDEX \`idx_outbox_events_status_id\` (\`status\`, \`id\`), INDEX \`idx_outbox_events_status_next_attempt_at\` (\`status\`, \`next_attempt_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_outbox_events_status_next_attempt_at\` ON \`outbox_events\``);
        await queryRunner.query(`DROP INDEX \`idx_outbox_events_status_id\` ON \`outbox_events\``);
        await queryRunner.query(`DROP INDEX \`uq_outbox_events_event_id\` ON \`outbox_events\``);
        await queryRunner.query(`DROP TABLE \`outbox_events\``);
    }

}
