import { readFileSync } from 'node:fs';
import { type DetectionConfig, DetectionConfigError, resolveDetectionConfig } from '@dgt/detection';
import { UsageError } from './io.ts';

/** `--config thresholds.json` for the commands that run the engine: defaults without it, a usage error naming the file when it is unreadable or invalid. */
export function loadDetectionConfig(path: string | undefined): DetectionConfig {
  if (path === undefined) return resolveDetectionConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--config ${path}: ${(err as Error).message}`);
  }
  try {
    return resolveDetectionConfig(raw);
  } catch (err) {
    if (err instanceof DetectionConfigError) throw new UsageError(`--config ${path}: ${err.message}`);
    throw err;
  }
}
