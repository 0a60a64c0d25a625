/**
 * A batch job: starts the package, waits for its first sample (its "work"), prints `ready`, then ends.
 * APP_END says how: `return` (default: the event loop empties, as most jobs end), `process-exit`
 * (process.exit(0) at once), `shutdown-then-exit` (await shutdown(), then process.exit(0)).
 * At exit it prints how many times `beforeExit` fired.
 */
import { startFromEnv } from './app-setup';

let beforeExitEvents = 0;
process.on('beforeExit', () => beforeExitEvents++);
process.on('exit', () => console.log(`exit beforeExit=${beforeExitEvents}`));

async function main(): Promise<void> {
  const stats = startFromEnv();
  await stats.instrumentation.sampleNow();
  console.log('ready');
  const end = process.env['APP_END'] ?? 'return';
  if (end === 'process-exit') process.exit(0);
  if (end === 'shutdown-then-exit') {
    await stats.shutdown();
    process.exit(0);
  }
}

void main();
