import { destination as fileDestination, type DestinationStream, type Logger, pino, stdTimeFunctions } from 'pino';

/**
 * The application's one pino logger: JSON lines with ISO-8601 times. Written asynchronously to
 * stdout unless a destination is given (tests capture the lines that way).
 */
export function createRootLogger(level: string, destination?: DestinationStream): Logger {
  // Asynchronous: lines logged while a write is in flight go out together in the next one.
  return pino({ level, timestamp: stdTimeFunctions.isoTime }, destination ?? fileDestination({ dest: 1, sync: false }));
}
