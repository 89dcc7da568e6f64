import { readFileSync } from 'node:fs';
import { type DetectionConfig, DetectionConfigError, resolveDetectionConfig } from '@dgt/detection';
import { ReplayError } from './errors.ts';

/** Thresholds from a JSON file (defaults fill anything omitted), or the defaults. */
export function loadThresholds(path: string | undefined): DetectionConfig {
  if (path === undefined) return resolveDetectionConfig({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ReplayError('BAD_CONFIG', `--config ${path}: ${(err as Error).message}`);
  }
  return thresholdsFrom(raw, `--config ${path}`);
}

export function thresholdsFrom(raw: unknown, label = 'thresholds'): DetectionConfig {
  try {
    return resolveDetectionConfig(raw);
  } catch (err) {
    if (err instanceof DetectionConfigError) throw new ReplayError('BAD_CONFIG', `${label}: ${err.message}`);
    throw err;
  }
}
