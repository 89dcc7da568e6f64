import { describe, expect, it } from 'vitest';
import { PublishTracker } from '../src/index.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('PublishTracker', () => {
  it('runs a heartbeat reply only after every publish tracked before it, whatever order they settle in', async () => {
    const t = new PublishTracker(100, () => undefined, () => undefined);
    const a = deferred();
    const b = deferred();
    t.track(a.promise);
    t.track(b.promise);
    const order: string[] = [];
    t.afterPublished(() => order.push('reply'));
    b.resolve();
    await tick();
    expect(order).toEqual([]);
    a.resolve();
    await tick();
    expect(order).toEqual(['reply']);
  });

  it('answers at once when nothing is in flight', () => {
    const t = new PublishTracker(100, () => undefined, () => undefined);
    let replied = false;
    t.afterPublished(() => (replied = true));
    expect(replied).toBe(true);
  });

  it('pauses the link at the limit and resumes it once half have settled', async () => {
    const events: string[] = [];
    const t = new PublishTracker(4, () => events.push('pause'), () => events.push('resume'));
    const pending = Array.from({ length: 4 }, deferred);
    for (const d of pending) t.track(d.promise);
    expect(events).toEqual(['pause']);
    pending[0]!.resolve();
    await tick();
    expect(events).toEqual(['pause']);
    pending[1]!.resolve();
    await tick();
    expect(events).toEqual(['pause', 'resume']);
    expect(t.inFlight).toBe(2);
  });
});
