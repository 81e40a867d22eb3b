import { MigrationInterface, QueryRunner } from "typeorm";

export class CancelRefundAndOrderList1796196174682 implements MigrationInterface {
    name = 'CancelRefundAndOrderList1796196174682'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`orders\` ADD \`canceled_at\` datetime(3) NULL`);
        await queryRunner.query(`ALTER TABLE \`orders\` ADD \`refunded_at\` datetime(3) NULL`);
        await queryRunner.query(`ALTER TABLE \`orders\` CHANGE \`status\` \`status\` enum ('PENDING_PAYMENT', 'PAID', 'EXPIRED', 'CANCELED', 'REFUNDED') NOT NULL`);
        await queryRunner.query(`CREATE INDEX \`idx_orders_user_id_status_id\` ON \`orders\` (\`user_id\`, \`status\`, \`id\`)`);
        await queryRunner.query(`CREATE INDEX \`idx_orders_user_id_id\` ON \`orders\` (\`user_id\`, \`id\`)`);
        // After the new indexes: the user_id foreign key needs an index that starts with user_id.
        await queryRunner.query(`DROP INDEX \`idx_orders_user_id_status_expires_at\` ON \`orders\``);
        await queryRunner.query(`ALTER TABLE \`product_sales_pending\` CHANGE \`quantity\` \`quantity\` int NOT NULL`);
        await queryRunner.query(`ALTER TABLE \`outbox_events\` ADD \`order_id\` bigint UNSIGNED NULL`);
        // Every event so far is an order's (ORDER_PAID): its order, from the payload.
        await queryRunner.query(`UPDATE \`outbox_events\` SET \`order_id\` = CAST(JSON_UNQUOTE(JSON_EXTRACT(\`payload\`, '$.orderId')) AS UNSIGNED)`);
        await queryRunner.query(`CREATE INDEX \`idx_outbox_events_order_id_id\` ON \`outbox_events\` (\`order_id\`, \`id\`)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_outbox_events_order_id_id\` ON \`outbox_events\``);
        await queryRunner.query(`ALTER TABLE \`outbox_events\` DROP COLUMN \`order_id\``);
        await queryRunner.query(`ALTER TABLE \`product_sales_pending\` CHANGE \`quantity\` \`quantity\` int UNSIGNED NOT NULL`);
        await queryRunner.query(`CREATE INDEX \`idx_orders_user_id_status_expires_at\` ON \`orders\` (\`user_id\`, \`status\`, \`expires_at\`)`);
        await queryRunner.query(`DROP INDEX \`idx_orders_user_id_id\` ON \`orders\``);
        await queryRunner.query(`DROP INDEX \`idx_orders_user_id_status_id\` ON \`orders\``);
        await queryRunner.query(`ALTER TABLE \`orders\` CHANGE \`status\` \`status\` enum ('PENDING_PAYMENT', 'PAID', 'EXPIRED') NOT NULL`);
        await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`refunded_at\``);
        await queryRunner.query(`ALTER TABLE \`orders\` DROP COLUMN \`canceled_at\``);
    }

}
