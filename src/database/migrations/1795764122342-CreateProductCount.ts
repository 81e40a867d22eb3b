import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateProductCount1795764122342 implements MigrationInterface {
    name = 'CreateProductCount1795764122342'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`product_count\` (\`id\` tinyint UNSIGNED NOT NULL, \`total\` bigint UNSIGNED NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
        // Seeded from the products that exist; from here on each product insert adds one.
        await queryRunner.query(`INSERT INTO \`product_count\` (\`id\`, \`total\`) SELECT 1, COUNT(*) FROM \`products\``);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE \`product_count\``);
    }

}
