/** Wakes waiting subscriptions when the log may have grown (in-process append, poll tick, close). */
export class ChangeSignal {
  #waiters = new Set<() => void>();

  /** Resolves on the next `notify()`, or after `timeoutMs` if given. */
  wait(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        if (timer) clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
      if (timeoutMs !== undefined) timer = setTimeout(wake, timeoutMs);
    });
  }

  notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
