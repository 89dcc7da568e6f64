/**
 * The publishes of one link (main or down) that the bus has not settled yet. JT/T 809 has no
 * acknowledgement for 0x1200 data, so the heartbeat reply is the only thing a platform can wait
 * for: the gateway answers a 0x1005 only once everything the link sent before it is on the bus
 * (the reply follows every earlier publish). Above `maxInFlight` the link stops reading.
 */
export class PublishTracker {
  private count = 0;
  private last: Promise<void> = Promise.resolve();
  private paused = false;

  constructor(
    private readonly maxInFlight: number,
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  get inFlight(): number {
    return this.count;
  }

  /** `settled` never rejects: failures are handled by whoever published. */
  track(settled: Promise<void>): void {
    this.count++;
    if (this.count >= this.maxInFlight && !this.paused) {
      this.paused = true;
      this.pause();
    }
    const previous = this.last;
    this.last = settled.then(() => previous);
    void settled.then(() => {
      this.count--;
      if (this.paused && this.count <= this.maxInFlight >> 1) {
        this.paused = false;
        this.resume();
      }
    });
  }

  /** Runs `fn` once every publish tracked so far has settled. */
  afterPublished(fn: () => void): void {
    if (this.count === 0) fn();
    else void this.last.then(fn);
  }
}
