/**
 * `--collector-url`: the demo's stand-in collector (the test kit's OTLP receiver) relays every export,
 * unchanged, to a real collector and answers the package with that collector's status, so the demo can still
 * draw what was exported.
 */

/** POSTs one export to `url` as received; resolves with the collector's HTTP status. */
export async function relayExport(url: string, body: string, contentType: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType }, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}
