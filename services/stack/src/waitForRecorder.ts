import { setTimeout as sleep } from 'node:timers/promises';

/**
 * On a clean stop, waits at most `timeoutMs` until the recorder has recorded everything the
 * gateway acknowledged (`backlog()`, the recorder group's uncommitted messages in the embedded
 * bus, reaches 0); returns what is still left (0 when drained). Not for durability — the bus file
 * keeps what is left and the next start records it — but so that the event store a stopped stack
 * leaves behind holds every acknowledged event, for `dgt replay` or `dgt export` on the data
 * directory right after Ctrl-C.
 */
export async function waitForRecorder(backlog: () => number, timeoutMs: number, pollMs = 20): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const left = backlog();
    if (left === 0 || performance.now() >= deadline) return left;
    await sleep(pollMs);
  }
}
