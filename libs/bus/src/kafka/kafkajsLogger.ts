import { logLevel, type logCreator } from 'kafkajs';
import type { BusLogger } from '../port.ts';

/**
 * Routes kafkajs logs to our logger. kafkajs logs retriable conditions (a coordinator still
 * loading, a leader moving) at ERROR, so callers usually want WARN or quieter.
 */
export function kafkajsLogCreator(logger: BusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const text = `kafkajs ${namespace}: ${message}`;
      switch (level) {
        case logLevel.ERROR:
          logger.error(text, fields);
          return;
        case logLevel.WARN:
          logger.warn(text, fields);
          return;
        case logLevel.INFO:
          logger.info(text, fields);
          return;
        case logLevel.DEBUG:
        case logLevel.NOTHING:
          logger.debug(text, fields);
          return;
        default: {
          const unreachable: never = level;
          logger.debug(text, { ...fields, level: unreachable });
        }
      }
    };
}
