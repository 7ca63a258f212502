import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warning' | 'error';

/** Paths whose values never reach a log line: tokens, PINs and pairing codes. */
export const REDACT_PATHS = [
  'token',
  'pin',
  'code',
  'access_token',
  'refresh_token',
  'password',
  '*.token',
  '*.pin',
  '*.code',
  '*.access_token',
  '*.refresh_token',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

/** Home Assistant's option names levels like Python does; pino calls `warning` `warn`. */
export function pinoLevel(level: LogLevel): string {
  return level === 'warning' ? 'warn' : level;
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level: pinoLevel(level),
    base: { name: 'hasync' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}
