import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateProductSalesRanking1795644341440 implements MigrationInterface {
    name = 'CreateProductSalesRanking1795644341440'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`product_sales_pending\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`product_id\` bigint UNSIGNED NOT NULL, \`quantity\` int UNSIGNED NOT NULL, \`paid_at\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`product_sales_hourly\` (\`bucket_hour\` datetime NOT NULL, \`product_id\` bigint UNSIGNED NOT NULL, \`quantity\` bigint NOT NULL, PRIMARY KEY (\`bucket_hour\`, \`product_id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`product_sales_rollup_state\` (\`id\` tinyint UNSIGNED NOT NULL, \`windows_hour\` datetime NOT NULL, \`version\` bigint UNSIGNED NOT NULL DEFAULT '0', PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        await queryRunner.query(`CREATE TABLE \`product_sales_windows\` (\`days\` tinyint UNSIGNED NOT NULL, \`product_id\` bigint UNSIGNED NOT NULL, \`quantity\` bigint NOT NULL, INDEX \`idx_product_sales_windows_rank\` (\`days\`, \`quantity\` DESC, \`product_id\`), PRIMARY KEY (\`days\`, \`product_id\`)) ENGINE=InnoDB`);
        // The aggregates start empty, so the windows are correct for any starting hour; the roll-up
        // job moves them to the current hour on its first run.
        await queryRunner.query(`INSERT INTO \`product_sales_rollup_state\` (\`id\`, \`windows_hour\`) VALUES (1, '1970-01-01 00:00:00')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_product_sales_windows_rank\` ON \`product_sales_windows\``);
        await queryRunner.query(`DROP TABLE \`product_sales_windows\``);
        await queryRunner.query(`DROP TABLE \`product_sales_rollup_state\``);
        await queryRunner.query(`DROP TABLE \`product_sales_hourly\``);
        await queryRunner.query(`DROP TABLE \`product_sales_pending\``);
    }

}
