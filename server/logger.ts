import type { LogLevel } from './config';

/**
 * Plain line logger. Callers pass only identifiers and codes, never payloads: what a patient did
 * is health data and does not belong in server logs.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export function createLogger(level: LogLevel): Logger {
  const write =
    (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
      if (RANK[at] < RANK[level]) return;
      const line = `${new Date().toISOString()} ${at.toUpperCase()} ${message}${
        fields === undefined ? '' : ' ' + JSON.stringify(fields)
      }`;
      if (at === 'error' || at === 'warn') console.error(line);
      else console.log(line);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
