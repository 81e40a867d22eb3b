import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { InvalidConfigError, loadConfig } from './config/app-config';
import { stopOnSignals } from './stop-on-signals';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  stopOnSignals(app);
  const logger = new Logger('Bootstrap');
  const url = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`;
  logger.log(`order service listening on ${url} (Swagger UI ${url}/docs)`);
}

bootstrap().catch((error: unknown) => {
  // A configuration error is the operator's to fix: print it plainly, without a stack.
  console.error(error instanceof InvalidConfigError ? error.message : error);
  process.exit(1);
});
