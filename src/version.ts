/** The npm package name; also the instrumentation name and the OpenTelemetry meter (scope) name. */
export const PACKAGE_NAME = 'otel-ecs-task-stats';
/** Kept equal to package.json's version by test/version.test.ts. */
export const PACKAGE_VERSION = '0.1.0';
