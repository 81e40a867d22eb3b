import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { InvalidConfigError, loadConfig } from './config/app-config';
import { stopOnSignals } from './stop-on-signals';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.http.port);
  stopOnSignals(app);
  const logger = new Logger('Bootstrap');
  logger.log(`order service listening on http://localhost:${config.http.port} (Swagger UI http://localhost:${config.http.port}/docs)`);
}

bootstrap().catch((error: unknown) => {
  // A configuration error is the operator's to fix: print it plainly, without a stack.
  console.error(error instanceof InvalidConfigError ? error.message : error);
  process.exit(1);
});
