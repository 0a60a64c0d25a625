import type { DiagLogger } from '@opentelemetry/api';

/**
 * Logs each kind of problem once at its level, and every later occurrence at debug level only: a failing
 * endpoint polled every few seconds must not flood the application's logs.
 */
export class DiagOnce {
  private readonly _seen = new Set<string>();

  constructor(private readonly _logger: DiagLogger) {}

  /** A problem that costs data (a failed sample, a bad field). */
  warn(kind: string, message: string): void {
    this._log(kind, message, 'warn');
  }

  /** Something worth knowing once (recovery, a skipped container). */
  info(kind: string, message: string): void {
    this._log(kind, message, 'info');
  }

  private _log(kind: string, message: string, level: 'warn' | 'info'): void {
    if (this._seen.has(kind)) {
      this._logger.debug(message);
      return;
    }
    this._seen.add(kind);
    this._logger[level](`${message} (logged once; repeats are logged at debug level)`);
  }
}
