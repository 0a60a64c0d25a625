/**
 * The test kit: one of each thing the tests, the compatibility matrix, the benchmarks and the demo need around
 * the package. Real servers on 127.0.0.1, real processes, real cgroups; nothing here mocks the package.
 */
export { CachedRefresh, dockerTimestamp, type CachedRefreshOptions, type CacheRefresh } from './cached-refresh';
export { CollectorProcess, COLLECTOR_BINARY, type CollectorEnvironment, type CollectorExit } from './collector-process';
export { DAEMON_FIXTURES, daemonTaskPairs } from './daemon-fixtures';
export { FakeCloudWatchLogs, type CloudWatchLogsCall, type StoredLogEvent } from './fake-cloudwatch-logs';
export { FakeMetadataEndpoint, type Route } from './fake-metadata-endpoint';
export { closedMidBodyRoute, hangingRoute, resetRoute, ServerSide, streamingRoute } from './faulty-routes';
export { FIXTURE_DIR, FIXTURE_PAIRS, fixtureText, loadFixture, MIB } from './fixtures';
export { HostProcessWatch, type DiagMessage } from './host-process-watch';
export { UndiciRequests } from './http-requests';
export * from './kernel-task';
export { otlpPoints, type OtlpExportMetricsServiceRequest, type OtlpPoint } from '../../emf-preview/src';
export { OtlpReceiver, type OtlpReceiverOptions, type ReceivedExport, type RefusedRequest } from './otlp-receiver';
export { readRepoFile, readRepoJson, REPO_ROOT, repoPath } from './repo-paths';
export { DEFAULT_WAIT_MILLIS, waitFor, within } from './wait';
export { pointsByMetric, TestReader } from './test-reader';
export { EC2_WINDOWS_DOCKER_ID, ec2WindowsTaskStats, fargateWindowsDockerId, WINDOWS_FIXTURES, windowsTaskMetadata } from './windows-fixtures';
