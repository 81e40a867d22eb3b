import { loadDatabaseConfig } from '../config/app-config';
import { databaseOptions, parseReplicaHost, REPLICA_RETRY_AFTER_MS } from './database-options';

describe(databaseOptions.name, () => {
  it('uses one pool on the primary without DB_REPLICA_HOSTS', () => {
    expect(databaseOptions(loadDatabaseConfig({}), 'mariadb').replication).toBeUndefined();
  });

  it('adds the replicas with the primary’s credentials, keeps every TypeORM read on the primary and retries a failed replica later', () => {
    const config = loadDatabaseConfig({ DB_HOST: 'primary', DB_PORT: '3307', DB_USER: 'app', DB_PASSWORD: 'pw', DB_NAME: 'shop', DB_REPLICA_HOSTS: 'r1,r2:3308' });
    const credentials = { username: 'app', password: 'pw', database: 'shop' };
    expect(databaseOptions(config, 'mariadb').replication).toEqual({
      master: { host: 'primary', port: 3307, ...credentials },
      slaves: [
        { host: 'r1', port: 3307, ...credentials },
        { host: 'r2', port: 3308, ...credentials },
      ],
      canRetry: true,
      removeNodeErrorCount: 1,
      restoreNodeTimeout: REPLICA_RETRY_AFTER_MS,
      selector: 'RR',
      defaultMode: 'master',
    });
    expect(REPLICA_RETRY_AFTER_MS).toBeGreaterThan(0); // 0 would drop a failed replica for good
  });
});

describe(parseReplicaHost.name, () => {
  it('takes the primary’s port when none is given', () => {
    expect(parseReplicaHost('db-2', 3306)).toEqual({ host: 'db-2', port: 3306 });
    expect(parseReplicaHost('db-2:3310', 3306)).toEqual({ host: 'db-2', port: 3310 });
  });
});
