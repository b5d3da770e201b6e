import { format } from 'node:util';
import { pino } from 'pino';

/**
 * Structured JSON log lines (pino) on stdout. Fields are facts (ids, codes, counts, timings), never
 * message text that could carry secrets; as a second guard, fields whose names say they hold a
 * secret are redacted wherever they appear.
 */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Field names that never reach a log line with their value, at the top level or one level down. */
const SECRET_FIELDS = [
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  'connectionString',
  'databaseUrl',
  'appPassword',
  'signingSecret',
  'botToken',
  'appToken',
  'clientSecret',
];

export function createJsonLogger(destination?: { write(line: string): void }): Logger {
  const log = pino(
    {
      base: undefined, // no pid/hostname on every line: the platform adds where a line came from
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return {
    info: (msg, fields = {}) => log.info(fields, msg),
    warn: (msg, fields = {}) => log.warn(fields, msg),
    error: (msg, fields = {}) => log.error(fields, msg),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Where a library's own printed lines go, and under what message. */
const LIBRARY_OUTPUT = 'library output';

/**
 * Makes what libraries print with `console` (botbuilder has no logger option: it prints rejected
 * tokens with console.error) JSON log lines like the bot's own, so stdout stays one JSON object a
 * line and nothing goes to stderr unstructured. Debug output is dropped. The process's entry point
 * calls it once; the project's own code never uses `console`.
 */
export function routeConsoleTo(
  logger: Logger,
  target: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace'> = console,
): void {
  const fields = (args: unknown[]) => ({ text: format(...args).slice(0, 2000) });
  target.log = (...args: unknown[]) => logger.info(LIBRARY_OUTPUT, fields(args));
  target.info = target.log;
  target.warn = (...args: unknown[]) => logger.warn(LIBRARY_OUTPUT, fields(args));
  target.error = (...args: unknown[]) => logger.error(LIBRARY_OUTPUT, fields(args));
  target.debug = () => undefined;
  target.trace = () => undefined;
}
