// Differential: the same OTLP/JSON body goes to the real collector (awsemf → fake CloudWatch Logs) and through
// the EMF preview (tools/emf-preview) with the same config; the events must be equal field by field: metric
// values, dimension sets, units, labels, StorageResolution, Version, timestamps, log group and stream.
// Inputs: the package's real exports for every fixture pair, and hand-written requests aimed at each rule
// the model claims to cover. Configs: the shipped one, every variant, and two test-only configs for the
// defaults and the declaration features the shipped config does not use.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadCollectorConfig, previewEmf, type EmfPreview, type OtlpExportMetricsServiceRequest } from '../../tools/emf-preview/src';
import { FIXTURE_PAIRS, loadFixture, repoPath } from '../../tools/testing/src';
import { countLeaves, fromPreview, fromStored, orderFreeMessage, sortEvents } from './emf-compare';
import { edgeInputs, packageInputName, packageInputs, sentinel, type DifferentialInput } from './differential-inputs';
import { CollectorRig, fixtureEndpoint } from './rig';

const CONFIGS = [
  repoPath('collector-config.yaml'),
  repoPath('deploy', 'variants', 'collector-config.ec2-bridge.yaml'),
  repoPath('deploy', 'variants', 'collector-config.more-dimensions.yaml'),
  repoPath('test', 'collector', 'configs', 'awsemf-defaults.yaml'),
  repoPath('test', 'collector', 'configs', 'awsemf-declarations.yaml'),
];

// The collectors read this task's metadata: resourcedetection/ecs adds what the preview is told here.
const ENDPOINT_PAIR = FIXTURE_PAIRS.fargateV1;
const task = loadFixture(ENDPOINT_PAIR.task);
const DETECTED = {
  'aws.ecs.task.id': String(task.TaskARN).split('/').at(-1)!,
  'aws.ecs.task.arn': String(task.TaskARN),
  'aws.ecs.task.family': String(task.Family),
  'aws.ecs.task.revision': String(task.Revision),
  'cloud.provider': 'aws',
  'cloud.platform': 'aws_ecs',
};

/** The OTLP receiver of every config here. */
const OTLP_URL = 'http://127.0.0.1:4318/v1/metrics';
/** The batch processor's default timeout (every config here leaves it at the default). */
const BATCH_TIMEOUT_MILLIS = 200;

async function post(body: OtlpExportMetricsServiceRequest): Promise<void> {
  const response = await fetch(OTLP_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

let fieldsCompared = 0;
let eventsCompared = 0;
let messagesCompared = 0;
let sentinels = 0;

/** The inputs' names, known before they are built (the package's bodies carry the time they were sent). */
const INPUT_NAMES = [...Object.keys(FIXTURE_PAIRS).map(packageInputName), ...edgeInputs().map((i) => i.name)];

describe('differential: EMF preview vs the real awsemf exporter, same input, same config', () => {
  const inputs = new Map<string, DifferentialInput>();

  before(async () => {
    for (const input of [...(await packageInputs()), ...edgeInputs()]) inputs.set(input.name, input);
  });

  after(() => {
    // The figure quoted in the closing note of issue 10.
    console.log(`differential: ${eventsCompared} events, ${fieldsCompared} fields and ${messagesCompared} whole messages compared`);
  });

  for (const configPath of CONFIGS) {
    const name = configPath.slice(repoPath().length + 1);
    describe(name, () => {
      let rig: CollectorRig;
      const { awsemf } = loadCollectorConfig(configPath);

      before(async () => {
        rig = await CollectorRig.start(configPath, await fixtureEndpoint(ENDPOINT_PAIR));
      });
      after(async () => {
        await rig?.close();
      });

      for (const inputName of INPUT_NAMES) {
        it(inputName, async () => {
          const input = inputs.get(inputName)!;
          rig.cloudWatchLogs.clear();
          const n = ++sentinels;
          const postedAt = Date.now();
          await post(input.request);
          const preview: EmfPreview = previewEmf(input.request, awsemf, { addResourceAttributes: DETECTED });
          // The sentinel must go in a later batch than the input (the batch processor flushes 200 ms after the
          // first item, then exports batch after batch): so wait for the events predicted, and past that timeout.
          // Once the sentinel's event is stored, every event of the input is too, predicted or not.
          // (Fewer may come: the comparison below says which are missing.)
          await rig.cloudWatchLogs.waitFor((events) => events.length >= preview.records.length, 'the predicted events', 3_000).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, postedAt + BATCH_TIMEOUT_MILLIS + 100 - Date.now())));
          await post(sentinel(n));
          const isSentinel = (fields: Record<string, any> | undefined): boolean => fields?.ContainerName === `differential-sentinel-${n}`;
          await rig.cloudWatchLogs.waitFor((events) => events.some((e) => isSentinel(e.emf)), `the sentinel after "${input.name}"`);
          const stored = rig.cloudWatchLogs.events.filter((e) => !isSentinel(e.emf));

          const real = sortEvents(stored.map(fromStored));
          const predicted = sortEvents(preview.records.map(fromPreview));
          assert.deepEqual(real, predicted);
          eventsCompared += real.length;
          fieldsCompared += countLeaves(real);

          // Where the order is fixed, the serialised message itself (key order, Go's escaping) must match.
          for (const record of preview.records) {
            const expected = orderFreeMessage(record.fields, record.message);
            if (expected === undefined) continue;
            const match = stored.find((e) => JSON.stringify(fromStored(e)) === JSON.stringify(fromPreview(record)));
            assert.equal(match?.message, expected, 'message bytes');
            messagesCompared += 1;
          }
        });
      }
    });
  }
});
