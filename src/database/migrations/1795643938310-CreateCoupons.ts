import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateCoupons1795643938310 implements MigrationInterface {
    name = 'CreateCoupons1795643938310'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`coupons\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`name\` varchar(100) NOT NULL, \`discount_type\` enum ('FIXED', 'PERCENT') NOT NULL, \`discount_value\` bigint NOT NULL, \`total_quantity\` int UNSIGNED NOT NULL, \`issued_quantity\` int UNSIGNED NOT NULL DEFAULT '0', \`valid_days\` int UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`user_coupons\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`user_id\` bigint UNSIGNED NOT NULL, \`coupon_id\` bigint UNSIGNED NOT NULL, \`status\` enum ('AVAILABLE', 'USED') NOT NULL, \`issued_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, \`order_id\` bigint UNSIGNED NULL, UNIQUE INDEX \`uq_user_coupons_user_id_coupon_id\` (\`user_id\`, \`coupon_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`ALTER TABLE \`user_coupons\` ADD CONSTRAINT \`FK_4765af200afa62c263bcc9a9541\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`user_coupons\` DROP FOREIGN KEY \`FK_4765af200afa62c263bcc9a9541\``);
        await queryRunner.query(`DROP INDEX \`uq_user_coupons_user_id_coupon_id\` ON \`user_coupons\``);
        await queryRunner.query(`DROP TABLE \`user_coupons\``);
        await queryRunner.query(`DROP TABLE \`coupons\``);
    }

}
