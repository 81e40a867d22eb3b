import { MigrationInterface, QueryRunner } from "typeorm";

export class AddOrdersUserPendingIndex1795651100000 implements MigrationInterface {
    name = 'AddOrdersUserPendingIndex1795651100000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX \`idx_orders_user_id_status_expires_at\` ON \`orders\` (\`user_id\`, \`status\`, \`expires_at\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_orders_user_id_status_expires_at\` ON \`orders\``);
    }
}
