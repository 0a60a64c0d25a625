/**
 * The demo's command line, run from a clone of the repository (`npm start -- [options]` builds the package and
 * runs `cli.js demo [options]`). One subcommand: `demo` (a simulated ECS task on this machine; see
 * run-demo.ts). Exit codes: 0 done, 1 failed, 2 usage error (or --real-kernel where the machine cannot run it),
 * 130 interrupted (Ctrl-C).
 */
import { ERROR_CODES } from 'otel-ecs-task-stats';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs } from './options';
import { runDemo } from './run-demo';
import { neutraliseControls } from './terminal';

/**
 * Writes our own lines: whatever in them came from a payload or a file (names, error texts) has its control
 * characters shown as escapes, so it cannot drive the terminal. Line feeds between lines stay.
 */
function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(neutraliseControls(text, true));
}

const USAGE = `Usage: node build/tools/demo/src/cli.js <command>   (npm start -- [options] runs the demo)

Commands:
  demo    run a simulated ECS task (or, with --real-kernel, real processes in real memory cgroups) with this
          package and show what CloudWatch would get

${DEMO_USAGE}`;

const PACKAGE_ERROR_CODES: ReadonlySet<unknown> = new Set(Object.values(ERROR_CODES));

/** An error the package threw, told by its stable code (never by its message). */
function isPackageError(err: unknown): boolean {
  return PACKAGE_ERROR_CODES.has((err as { code?: unknown } | null)?.code);
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    write(process.stdout, `${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'demo') {
    write(process.stderr, `unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  let options;
  try {
    options = parseDemoArgs(rest);
  } catch (err) {
    if (err instanceof DemoUsageError) {
      write(process.stderr, `${err.message}\n\n${DEMO_USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    write(process.stdout, `${DEMO_USAGE}\n`);
    return 0;
  }
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130); // second Ctrl-C: leave now
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const tty = process.stdout.isTTY === true;
  let progressShown = false;
  try {
    const result = await runDemo(options, {
      print: (text) => {
        if (progressShown) process.stdout.write('\r\x1b[2K');
        progressShown = false;
        write(process.stdout, `${text}\n`);
      },
      progress: tty
        ? (text) => {
            process.stdout.write('\r\x1b[2K');
            write(process.stdout, text);
            progressShown = text !== '';
          }
        : undefined,
      signal: abort.signal,
    });
    return result.interrupted ? 130 : 0;
  } catch (err) {
    // A file named by --replay or --collector-config that cannot be used: a usage error too.
    if (!(err instanceof DemoUsageError)) throw err;
    write(process.stderr, `${err.message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // The package's own errors (known by their code) already start with its name.
    write(process.stderr, isPackageError(err) ? `${message}\n` : `otel-ecs-task-stats: ${message}\n`);
    process.exitCode = 1;
  },
);
