/**
 * pino, configured once in main.ts. Log fields, not prose; ids and counts only. The redaction list
 * is a second line of defence: no code path is meant to hand a token, a prefetch body or a name to
 * the logger in the first place (CDS Hooks STU2 L513; best practices "JWT").
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { CdsError } from './errors';

export type { Logger };

/** Paths pino blanks out wherever they appear at the first two levels of a log record. */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  'access_token',
  '*.access_token',
  'fhirAuthorization',
  '*.fhirAuthorization',
  'prefetch',
  '*.prefetch',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
  'apiKey',
  '*.apiKey',
];

/**
 * Creates the service logger; `destination` lets tests capture the output. `pretty` writes
 * human-readable lines (pino-pretty, in this thread, so nothing is lost on exit) for a person at a
 * terminal; otherwise one JSON object a line for a log collector.
 */
export function createLogger(options: {
  level: string;
  destination?: DestinationStream;
  pretty?: boolean;
}): Logger {
  const destination = options.pretty
    ? pretty({
        colorize: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
        singleLine: true,
        ...(options.destination ? { destination: options.destination } : {}),
      })
    : options.destination;
  return pino(
    {
      level: options.level,
      base: { service: 'rationale-cds' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** An error's class and message for a log line: never a request body. */
export function errorSummary(e: unknown): { type: string; message: string } {
  return e instanceof Error
    ? { type: e.name, message: e.message }
    : { type: typeof e, message: 'non-error thrown' };
}

/**
 * Logs a store failure that the caller answers without (a hook's snoozes or records, late LLM
 * additions): an unavailable database at warn as `store unavailable: …`, anything else (a bug, a
 * failed statement) at error as `store failed: …` with its stack, so a bug is never filed as an
 * outage (issue 17: errors keep their meaning).
 */
export function logStoreFailure(
  log: Logger,
  e: unknown,
  consequence: string,
  fields: Record<string, unknown> = {},
): void {
  if (e instanceof CdsError && e.code === 'store-unavailable') {
    log.warn({ ...fields, err: errorSummary(e) }, `store unavailable: ${consequence}`);
    return;
  }
  const stack = e instanceof Error ? e.stack : undefined;
  log.error({ ...fields, err: { ...errorSummary(e), stack } }, `store failed: ${consequence}`);
}
