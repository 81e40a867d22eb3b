import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateOrders1795643853518 implements MigrationInterface {
    name = 'CreateOrders1795643853518'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`orders\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`user_id\` bigint UNSIGNED NOT NULL, \`status\` enum ('PENDING_PAYMENT', 'PAID', 'EXPIRED') NOT NULL, \`total_amount\` bigint NOT NULL, \`discount_amount\` bigint NOT NULL, \`pay_amount\` bigint NOT NULL, \`coupon_id\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`paid_at\` datetime(3) NULL, INDEX \`idx_orders_status_expires_at\` (\`status\`, \`expires_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`order_items\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`order_id\` bigint UNSIGNED NOT NULL, \`product_id\` bigint UNSIGNED NOT NULL, \`unit_price\` bigint NOT NULL, \`quantity\` int UNSIGNED NOT NULL, \`line_amount\` bigint NOT NULL, INDEX \`idx_order_items_order_id\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`orders\` ADD CONSTRAINT \`FK_a922b820eeef29ac1c6800e826a\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`order_items\` ADD CONSTRAINT \`FK_145532db85752b29c57d2b7b1f1\` FOREIGN KEY (\`order_id\`) REFERENCES \`orders\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`order_items\` DROP FOREIGN KEY \`FK_145532db85752b29c57d2b7b1f1\``);
        await queryRunner.query(`ALTER TABLE \`orders\` DROP FOREIGN KEY \`FK_a922b820eeef29ac1c6800e826a\``);
        await queryRunner.query(`DROP INDEX \`idx_order_items_order_id\` ON \`order_items\``);
        await queryRunner.query(`DROP TABLE \`order_items\``);
        await queryRunner.query(`DROP INDEX \`idx_orders_status_expires_at\` ON \`orders\``);
        await queryRunner.query(`DROP TABLE \`orders\``);
    }

}
