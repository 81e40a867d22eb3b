import { Injectable } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

// Nest's own start-up chatter: a line per module, controller and route (about 50 at every start).
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** The logger Nest logs through: pino, with the framework's start-up lines moved to `debug`. */
@Injectable()
export class AppLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (FRAMEWORK_CONTEXTS.has(optionalParams.at(-1) as string)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
