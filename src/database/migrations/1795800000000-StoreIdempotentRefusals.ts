import { MigrationInterface, QueryRunner } from "typeorm";

export class StoreIdempotentRefusals1795800000000 implements MigrationInterface {
    name = 'StoreIdempotentRefusals1795800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`idempotency_keys\` ADD \`refusal_status\` smallint UNSIGNED NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`idempotency_keys\` DROP COLUMN \`refusal_status\``);
    }

}
