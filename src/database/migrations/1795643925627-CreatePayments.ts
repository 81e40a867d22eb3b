import { MigrationInterface, QueryRunner } from "typeorm";

export class CreatePayments1795643925627 implements MigrationInterface {
    name = 'CreatePayments1795643925627'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`payments\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`order_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`amount\` bigint NOT NULL, \`status\` enum ('PAID') NOT NULL, \`paid_at\` datetime(3) NOT NULL, UNIQUE INDEX \`IDX_b2f7b823a21562eeca20e72b00\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`IDX_b2f7b823a21562eeca20e72b00\` ON \`payments\``);
        await queryRunner.query(`DROP TABLE \`payments\``);
    }

}
