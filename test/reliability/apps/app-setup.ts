/**
 * Shared by the child-process apps: a diag logger that writes one line per message to stderr (so the test
 * can count them), and startEcsTaskStats() configured from the environment the test passes:
 * ECS_CONTAINER_METADATA_URI_V4, OTLP_URL and APP_OPTIONS (JSON, extra options).
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startEcsTaskStats, type EcsTaskStatsHandle } from '../../../src';

export function startFromEnv(): EcsTaskStatsHandle {
  const line = (level: string) => (message: string, ...args: unknown[]): void => {
    process.stderr.write(`diag\t${level}\t${[message, ...args.map(String)].join(' ').replace(/\s+/g, ' ')}\n`);
  };
  diag.setLogger(
    { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('verbose') },
    DiagLogLevel.INFO,
  );
  const options = JSON.parse(process.env['APP_OPTIONS'] ?? '{}') as Record<string, unknown>;
  return startEcsTaskStats({ url: process.env['OTLP_URL'], ...options });
}
