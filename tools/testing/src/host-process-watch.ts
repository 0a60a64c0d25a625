import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** One message the package logged through `diag`. */
export interface DiagMessage {
  readonly level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  readonly message: string;
}

/**
 * What the host application would notice while the package runs: exceptions and rejections that escape
 * (process 'uncaughtException' / 'unhandledRejection'), how long its event loop was blocked, and the
 * messages the package logged through `diag`. Install it before the sampler starts; `dispose()` after.
 */
export class HostProcessWatch {
  readonly escaped: unknown[] = [];
  readonly diagMessages: DiagMessage[] = [];
  private readonly _histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly _onEscape = (error: unknown): void => {
    this.escaped.push(error);
  };

  constructor() {
    process.on('uncaughtException', this._onEscape);
    process.on('unhandledRejection', this._onEscape);
    this._histogram.enable();
    const record =
      (level: DiagMessage['level']) =>
      (message: string, ...args: unknown[]): void => {
        this.diagMessages.push({ level, message: [message, ...args.map(String)].join(' ') });
      };
    const logger: DiagLogger = {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
      verbose: record('verbose'),
    };
    diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  }

  /** The messages logged at `level` whose text matches `pattern`. */
  messages(level: DiagMessage['level'], pattern: RegExp = /./): string[] {
    return this.diagMessages.filter((m) => m.level === level && pattern.test(m.message)).map((m) => m.message);
  }

  /** The longest the event loop was blocked since install, in ms. */
  maxEventLoopDelayMillis(): number {
    return this._histogram.max / 1e6;
  }

  /** Removes the listeners and the diag logger, stops the histogram. */
  dispose(): void {
    process.off('uncaughtException', this._onEscape);
    process.off('unhandledRejection', this._onEscape);
    this._histogram.disable();
    diag.disable();
  }
}
