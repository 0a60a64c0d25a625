/**
 * A long-running service (a ref'd interval keeps it alive) whose own SIGTERM/SIGINT handling the test
 * chooses, to compare how it ends with and without the package:
 * - APP_PACKAGE: `1` (default) starts the package (see app-setup.ts); `0` runs the same app without it.
 * - APP_HANDLER: `none` (default), `on`, `once`, `prepend` or `prepend-once`: how the app's handler is added.
 * - APP_HANDLER_WHEN: `before` or `after` (default) startEcsTaskStats().
 * - APP_HANDLER_END: `exit` (default: a graceful drain of APP_GRACE_MILLIS, default 1000, then
 *   `process.exit(3)`) or `never` (the handler only logs; the process keeps running).
 * It prints `ready` once running (with the package: after its first sample) and `app-handler <signal>` each
 * time its handler runs.
 */
import { startFromEnv } from './app-setup';

setInterval(() => {}, 1000);

const handlerKind = process.env['APP_HANDLER'] ?? 'none';
const graceMillis = Number(process.env['APP_GRACE_MILLIS'] ?? '1000');

function onSignal(signal: NodeJS.Signals): void {
  console.log(`app-handler ${signal}`);
  if ((process.env['APP_HANDLER_END'] ?? 'exit') === 'exit') setTimeout(() => process.exit(3), graceMillis);
}

function addHandler(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (handlerKind === 'on') process.on(signal, onSignal);
    else if (handlerKind === 'once') process.once(signal, onSignal);
    else if (handlerKind === 'prepend') process.prependListener(signal, onSignal);
    else if (handlerKind === 'prepend-once') process.prependOnceListener(signal, onSignal);
  }
}

async function main(): Promise<void> {
  const before = process.env['APP_HANDLER_WHEN'] === 'before';
  if (before) addHandler();
  if (process.env['APP_PACKAGE'] !== '0') {
    const stats = startFromEnv();
    await stats.instrumentation.sampleNow();
  }
  if (!before) addHandler();
  console.log('ready');
}

void main();
