/** Source of `recordedAt`; injected so tests and replays are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that advances by `stepMs` on every reading, starting at `startIso`. */
export function steppingClock(startIso: string, stepMs = 1): Clock {
  let next = Date.parse(startIso);
  return {
    now() {
      const d = new Date(next);
      next += stepMs;
      return d;
    },
  };
}
