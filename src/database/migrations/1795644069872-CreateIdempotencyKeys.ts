import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateIdempotencyKeys1795644069872 implements MigrationInterface {
    name = 'CreateIdempotencyKeys1795644069872'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE \`idempotency_keys\` (\`user_id\` bigint UNSIGNED NOT NULL, \`idempotency_key\` varchar(255) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`request_hash\` char(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`response_body\` mediumtext NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`expires_at\` datetime(3) NOT NULL, INDEX \`idx_idempotency_keys_expires_at\` (\`expires_at\`), PRIMARY KEY (\`user_id\`, \`idempotency_key\`)) ENGINE=InnoDB`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX \`idx_idempotency_keys_expires_at\` ON \`idempotency_keys\``);
        await queryRunner.query(`DROP TABLE \`idempotency_keys\``);
    }

}
