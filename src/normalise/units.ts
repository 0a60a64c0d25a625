/** Bytes in one MiB (2^20). The contract's "Megabytes" are MiB: values are bytes / 2^20. */
const BYTES_PER_MIB = 1024 * 1024;

/**
 * Limits at or above this many bytes mean "no limit". The kernel's sentinels are 2^63 - 4096 (cgroup v1
 * PAGE_COUNTER_MAX, Fargate) and 2^64 - 1 (cgroup v2 "max", containerd); JSON.parse turns them into
 * 9223372036854772000 and 18446744073709552000, so compare against a threshold, never exact values.
 * No real machine has 2^62 bytes (4 EiB) of memory.
 */
const UNLIMITED_THRESHOLD_BYTES = 2 ** 62;

/**
 * True for a memory limit a machine can have: finite, positive and below {@link UNLIMITED_THRESHOLD_BYTES}.
 * The one test every limit passes before it is reported, whichever source it comes from (issue 13).
 */
export function isRealLimitBytes(bytes: number | undefined): bytes is number {
  return bytes !== undefined && Number.isFinite(bytes) && bytes > 0 && bytes < UNLIMITED_THRESHOLD_BYTES;
}

/** Converts bytes to MiB, unrounded. */
export function bytesToMib(bytes: number): number {
  return bytes / BYTES_PER_MIB;
}

/** Converts MiB (the unit of `Limits.Memory` in `/task`) to bytes. */
export function mibToBytes(mib: number): number {
  return mib * BYTES_PER_MIB;
}
