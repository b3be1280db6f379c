import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentRequestId } from './request-context.js';

export type { Logger };

const { chindingsSym } = pino.symbols;

/**
 * JSON logs on stdout (or `destination`), one base logger per service. Every line written while a request
 * or the bus message it caused is handled carries its `requestId`, also from loggers that were made
 * before the request (services log through their own); request loggers (`req.log`) bind it themselves.
 */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'password', '*.password'], censor: '[redacted]' },
    mixin: (_object, _level, logger) => {
      const requestId = currentRequestId();
      // Bound already (a child with the id): once per line, so log shippers see one key.
      if (!requestId || (logger as unknown as Record<symbol, string>)[chindingsSym]?.includes('"requestId"')) {
        return {};
      }
      return { requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
