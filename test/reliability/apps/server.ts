/**
 * A long-running service: starts the package, keeps the event loop busy (a ref'd interval, as a server
 * would), prints `ready` after the first sample. With APP_SIGNAL_HANDLER=1 it handles SIGTERM and SIGINT
 * itself: prints `app-handler`, sets exit code 42 and stops its work half a second later, so the process
 * ends when the loop empties, on the application's terms.
 */
import { startFromEnv } from './app-setup';

const work = setInterval(() => {}, 1000);

if (process.env['APP_SIGNAL_HANDLER'] === '1') {
  const onSignal = (): void => {
    console.log('app-handler');
    process.exitCode = 42;
    // A graceful drain: the app stops its work a little later, as a server finishing its requests would.
    setTimeout(() => clearInterval(work), 500);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const stats = startFromEnv();
  await stats.instrumentation.sampleNow();
  console.log('ready');
}

void main();
