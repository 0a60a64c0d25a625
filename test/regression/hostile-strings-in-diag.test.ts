/**
 * Issue 14, item 3: text from the metadata endpoint reached `diag` raw and unbounded (a DockerId, a container
 * name, the bytes JSON.parse copies into its error). Every payload-derived string in a log message is now
 * JSON-quoted, with every control character escaped, and cut to 128 characters (README § Security).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MI, startFaultHarness } from '../helpers/fault-harness';
import { type DiagMessage, loadFixture } from '../../tools/testing/src';

/** The documented cut (README § Security; src/log-text.ts MAX_LOGGED_CHARS). */
const MAX_LOGGED_CHARS = 128;
/** A name that forges a log line, clears the screen, retitles the terminal, and is 100 KB long. */
const HOSTILE = `evil\u001b[2J\u001b]0;owned\u0007\r\nWARN forged line\u009b31m\u2028` + 'A'.repeat(100_000);
/** C0 and C1 controls, DEL, and the line and paragraph separators: none may reach a log line raw. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Every message of every level is one short line with no raw control character. */
function assertClean(messages: readonly DiagMessage[]): void {
  assert.ok(messages.length > 0, 'something was logged');
  for (const { level, message } of messages) {
    assert.doesNotMatch(message, RAW_CONTROL, `${level}: ${JSON.stringify(message.slice(0, 300))}`);
    // The wording, plus at most three quoted strings of MAX_LOGGED_CHARS characters each.
    assert.ok(message.length < 400 + 3 * (MAX_LOGGED_CHARS + 2), `${level}: ${message.length} characters`);
  }
}

const STATS = loadFixture(MI.stats);
const TASK = loadFixture(MI.task);
const MAIN = Object.keys(STATS).find((id) => STATS[id]?.name === 'main')!;

describe('payload-derived text in diag messages is escaped and cut to MAX_LOGGED_CHARS', () => {
  it('the DockerId in the invalid-usage warning', async (t) => {
    const stats = structuredClone(STATS);
    stats[HOSTILE] = { ...stats[MAIN], id: HOSTILE, memory_stats: { ...stats[MAIN].memory_stats, usage: 'lots' } };
    const h = await startFaultHarness(t, stats);
    const [warning] = h.watch.messages('warn', /memory_stats\.usage is not a valid byte count/);
    assert.ok(warning !== undefined, 'warned');
    assert.ok(warning.includes(JSON.stringify(HOSTILE.slice(0, 10)).slice(0, -1)), warning.slice(0, 300));
    assertClean(h.watch.diagMessages);
  });

  it('the container name (and the filter error that repeats it) in the "includeContainers threw" warning', async (t) => {
    const task = structuredClone(TASK);
    task.Containers.find((c: any) => c.Name === 'main').Name = HOSTILE;
    const h = await startFaultHarness(t, STATS, {
      includeContainer: (name) => {
        if (name === HOSTILE) throw new Error(`no rule for ${name}`);
        return true;
      },
    }, task);
    const [warning] = h.watch.messages('warn', /includeContainers threw for/);
    assert.ok(warning !== undefined, 'warned');
    assert.match(warning, /includeContainers threw for "evil\\u001b\[2J\\u001b\]0;owned\\u0007\\r\\nWARN forged line\\u009b31m\\u2028A+…"; the container is reported: "Error: no rule for evil\\u001b\[2J/);
    assertClean(h.watch.diagMessages);
  });

  for (const path of ['/task/stats', '/task'] as const) {
    it(`JSON.parse's error text, which copies body bytes, for ${path}`, async (t) => {
      const body = `\u001b]0;owned\u0007\u001b[2J${'x'.repeat(5000)}`;
      const h = await startFaultHarness(t, path === '/task/stats' ? body : STATS, {}, path === '/task' ? body : TASK);
      const [warning] = h.watch.messages('warn', /invalid JSON/);
      assert.ok(warning !== undefined, JSON.stringify(h.watch.diagMessages));
      assert.match(warning, new RegExp(`GET ${path} answered invalid JSON: ".*\\\\u001b`));
      assertClean(h.watch.diagMessages);
    });
  }

  it('a name in the impossible-limit and estimated-inactive-file warnings (C1 controls and U+2028 included)', async (t) => {
    const task = structuredClone(TASK);
    const main = task.Containers.find((c: any) => c.Name === 'main');
    main.Name = HOSTILE;
    main.Limits.Memory = 1e308;
    const stats = structuredClone(STATS);
    delete stats[MAIN].memory_stats.stats.inactive_file;
    const h = await startFaultHarness(t, stats, {}, task);
    assert.equal(h.watch.messages('warn', /cannot be real/).length, 1);
    assert.equal(h.watch.messages('warn', /has no inactive_file/).length, 1);
    assertClean(h.watch.diagMessages);
  });
});
