import type { DetectionConfig } from '@dgt/detection';
import { loadThresholds, ReplayError } from '@dgt/replay';
import { UsageError } from './io.ts';

/** `--config thresholds.json` for the commands that run the engine: replay's loader, its errors as usage errors. */
export function loadDetectionConfig(path: string | undefined): DetectionConfig {
  try {
    return loadThresholds(path);
  } catch (err) {
    throw err instanceof ReplayError ? new UsageError(err.message) : err;
  }
}
