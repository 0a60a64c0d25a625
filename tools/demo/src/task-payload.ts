/**
 * The simulated `/task` response, shaped like the real ones in test/fixtures/tmde-v4/
 * (Fargate 2025 for cgroup v1, Managed Instances 2026 for cgroup v2): same top-level and per-container keys.
 */
import type { Scenario, ScenarioContainer } from './scenario';

/** A fixed, Fargate-shaped task id (32 hex digits) so every run shows the same identities. */
const DEMO_TASK_ID = '5f1c0e7a9b2d4c3e8a6f0b1d2c3e4f5a';
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

/** DockerId of a container: Fargate/Managed Instances form `<task id>-<10 digits>`. */
export function dockerIdOf(scenario: Scenario, container: ScenarioContainer): string {
  const index = scenario.containers.indexOf(container);
  return `${DEMO_TASK_ID}-${String(1585788040 + index * 117_133_331).padStart(10, '0')}`;
}

function clusterArn(scenario: Scenario): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${scenario.clusterName}`;
}

function taskArn(scenario: Scenario): string {
  return `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${scenario.clusterName}/${DEMO_TASK_ID}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '123456Z');
}

function networks(): unknown[] {
  return [
    {
      NetworkMode: 'awsvpc',
      IPv4Addresses: ['10.0.117.145'],
      AttachmentIndex: 0,
      MACAddress: '0a:ff:e5:34:fa:c9',
      IPv4SubnetCIDRBlock: '10.0.0.0/17',
      PrivateDNSName: 'ip-10-0-117-145.ec2.internal',
      SubnetGatewayIpv4Address: '10.0.0.1/17',
    },
  ];
}

/** One entry of `Containers[]`. */
export function containerMetadata(scenario: Scenario, c: ScenarioContainer, startedMs: number): Record<string, unknown> {
  const id = dockerIdOf(scenario, c);
  // Fargate lists `{"CPU": 2}` when no container memory limit is set; the Memory key is then absent.
  const limits: Record<string, number> = { CPU: c.cpuUnits };
  if (c.containerLimitMib !== undefined) limits.Memory = c.containerLimitMib;
  const meta: Record<string, unknown> = {
    DockerId: id,
    Name: c.name,
    DockerName: c.name,
    Image: c.image,
    ImageID: `sha256:${id.slice(0, 32)}${id.slice(0, 32)}`,
    Labels: {
      'com.amazonaws.ecs.cluster': clusterArn(scenario),
      'com.amazonaws.ecs.container-name': c.name,
      'com.amazonaws.ecs.task-arn': taskArn(scenario),
      'com.amazonaws.ecs.task-definition-family': scenario.family,
      'com.amazonaws.ecs.task-definition-version': scenario.revision,
    },
    DesiredStatus: 'RUNNING',
    KnownStatus: c.running ? 'RUNNING' : 'STOPPED',
  };
  if (!c.running) meta.ExitCode = 0;
  meta.Limits = limits;
  meta.CreatedAt = iso(startedMs - 4000);
  meta.StartedAt = iso(startedMs - 4000);
  if (!c.running) meta.FinishedAt = iso(startedMs - 1000);
  meta.Type = 'NORMAL';
  if (c.name === scenario.selfContainer) {
    meta.LogDriver = 'awslogs';
    meta.LogOptions = { 'awslogs-group': `/ecs/${scenario.family}`, 'awslogs-region': REGION, 'awslogs-stream': `${c.name}/${c.name}/${DEMO_TASK_ID}` };
  }
  meta.ContainerARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:container/${scenario.clusterName}/${DEMO_TASK_ID}/${id.slice(0, 8)}-0000-4000-8000-${id.slice(-12)}`;
  meta.Networks = networks();
  meta.Snapshotter = 'overlayfs';
  return meta;
}

/** The whole `/task` body at real time `nowMs` for a task whose containers started at `startedMs`. */
export function taskMetadata(scenario: Scenario, startedMs: number, nowMs: number): Record<string, unknown> {
  const common = {
    Cluster: clusterArn(scenario),
    TaskARN: taskArn(scenario),
    Family: scenario.family,
    Revision: scenario.revision,
    DesiredStatus: 'RUNNING',
    KnownStatus: 'RUNNING',
    Limits: { CPU: scenario.taskCpuVcpu, Memory: scenario.taskMemoryMib },
    PullStartedAt: iso(startedMs - 20000),
    PullStoppedAt: iso(startedMs - 6000),
    AvailabilityZone: `${REGION}a`,
    LaunchType: scenario.launchType,
    Containers: scenario.containers.map((c) => containerMetadata(scenario, c, startedMs)),
  };
  const clockDrift = {
    ClockErrorBound: 0.33,
    ReferenceTimestamp: new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    ClockSynchronizationStatus: 'SYNCHRONIZED',
  };
  if (scenario.launchType === 'FARGATE') {
    return { ...common, ClockDrift: clockDrift, EphemeralStorageMetrics: { Utilized: 1427, Reserved: 20496 } };
  }
  return {
    ...common,
    ServiceName: scenario.family,
    Group: `service:${scenario.family}`,
    ClockDrift: clockDrift,
    FaultInjectionEnabled: false,
    AvailabilityZoneID: 'use1-az4',
  };
}
