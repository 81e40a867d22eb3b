import { MigrationInterface, QueryRunner } from "typeorm";

export class IndexSentOutboxEvents1795800000001 implements MigrationInterface {
    name = 'IndexSentOutboxEvents1795800000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`idx_outbox_events_status_sent_at\` ON \`outbox_events\` (\`status\`, \`sent_at\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_outbox_events_status_sent_at\` ON \`outbox_events\``);
    }

}
