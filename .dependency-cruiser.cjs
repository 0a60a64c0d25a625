// The import graph, checked by `npm run lint` (dependency-cruiser, on the TypeScript sources). It enforces the
// layout the README's Development section describes: the published core (src/) imports nothing of the tools
// or tests; its data path imports only upstream (metadata ← normalise ← sampler ← instrumentation ← setup,
// each stage may use the ones before it, never one after it); the leaves (the contract, errors, the option
// validators, log text, version) import no stage; and the demo uses the core only through its package entry.
/** @type {import('dependency-cruiser').IConfiguration} */

const STAGES = ['metadata', 'normalise', 'sampler', 'instrumentation', 'setup'];
const LEAVES = '^src/(contract|errors|log-text|version)\\.ts$|^src/options/';

/** One rule per stage: nothing it imports may be a later stage. */
const noUpwardImports = STAGES.slice(0, -1).map((stage, i) => ({
  name: `no-upward-import-from-${stage}`,
  comment: `src/${stage}/ is upstream of ${STAGES.slice(i + 1).join(', ')}: it may not import them (the data flows one way).`,
  severity: 'error',
  from: { path: `^src/${stage}/` },
  to: { path: `^src/(${STAGES.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-tools-or-tests',
      comment: 'The published package (src/) must not import tools/, test/ or bench/: none of them ships.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tools|test|bench)/' },
    },
    ...noUpwardImports,
    {
      name: 'leaves-import-no-stage',
      comment: 'The contract, errors, validators, log text and version are leaves every stage may import: they import no stage.',
      severity: 'error',
      from: { path: LEAVES },
      to: { path: `^src/(${STAGES.join('|')}|index\\.ts)` },
    },
    {
      name: 'normalise-is-pure',
      comment: 'src/normalise/ is pure functions on payloads: no I/O, no OpenTelemetry, no endpoint client.',
      severity: 'error',
      from: { path: '^src/normalise/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'core-runtime-dependencies',
      comment: 'The core depends on undici and the OpenTelemetry API only (peer); the SDK packages are loaded by setup/pipeline.ts alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/setup/pipeline\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(undici|@opentelemetry/api)/' },
    },
    {
      name: 'sdk-only-in-the-pipeline',
      comment: 'setup/pipeline.ts may load the SDK packages (optional peers) and nothing else from npm.',
      severity: 'error',
      from: { path: '^src/setup/pipeline\\.ts$' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '(^|/)node_modules/@opentelemetry/(api|sdk-metrics|exporter-metrics-otlp-http|resources)/',
      },
    },
    {
      name: 'core-never-reaches-yaml',
      comment: 'yaml is the EMF preview\'s dependency: nothing the package entry loads may reach it, however indirectly.',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '(^|/)node_modules/yaml/', reachable: true },
    },
    {
      name: 'demo-uses-the-package-entry',
      comment: 'tools/demo imports the core as an application does, by the package name (otel-ecs-task-stats), never by a path into src/.',
      severity: 'error',
      from: { path: '^tools/demo/' },
      to: { path: '^src/', dependencyTypesNot: ['aliased-tsconfig-paths'] },
    },
    {
      name: 'emf-preview-models-the-collector',
      comment: 'The EMF preview models awsemf: it imports nothing of the package or of the other tools.',
      severity: 'error',
      from: { path: '^tools/emf-preview/' },
      to: { path: '^(src|test|bench|tools/(?!emf-preview/))' },
    },
    {
      name: 'test-kit-uses-the-contract-only',
      comment: 'The test kit may name metrics through the contract; it imports nothing else of the core (tests do that).',
      severity: 'error',
      from: { path: '^tools/testing/' },
      to: { path: '^src/', pathNot: '^src/contract\\.ts$' },
    },
    {
      name: 'tools-import-no-tests',
      comment: 'tools/ are used by the tests, never the other way round.',
      severity: 'error',
      from: { path: '^tools/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle is two modules that cannot be read apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(build|dist|\\.cache)/', '^test/compat/app\\.cjs$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types'],
    },
  },
};
