/** Wakes every waiter on the next `notify()`; waiters re-check state themselves. */
export class Notifier {
  private pending: { promise: Promise<void>; resolve: () => void } | undefined;

  wait(): Promise<void> {
    if (this.pending === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.pending = { promise, resolve };
    }
    return this.pending.promise;
  }

  notify(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve();
  }
}
