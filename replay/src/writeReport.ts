import { join } from 'node:path';
import { makePrivateDir, writePrivateFile } from '@dgt/datadir';
import { renderAdvisoriesCsv, renderViolationsCsv } from './csv.ts';
import { sha256Hex } from './digest.ts';
import { renderReportHtml } from './html.ts';
import { renderReportJson } from './reportJson.ts';
import type { ReplayReport } from './reportTypes.ts';
import type { RunInfo } from './runInfo.ts';

export interface RenderedReport {
  json: string;
  html: string;
  /** violations.csv */
  csv: string;
  /** advisories.csv */
  advisoriesCsv: string;
  /** SHA-256 of report.json, recorded in the audit event. */
  jsonSha256: string;
}

/** The four files of a report; `run` (operator, run time) goes into the HTML header only, never into report.json. */
export function renderReport(report: ReplayReport, run?: RunInfo): RenderedReport {
  const json = renderReportJson(report);
  return { json, html: renderReportHtml(report, run), csv: renderViolationsCsv(report), advisoriesCsv: renderAdvisoriesCsv(report), jsonSha256: sha256Hex(json) };
}

/**
 * Writes report.json, report.html, violations.csv and advisories.csv into `dir` (created if needed). They name
 * vehicles, waybills and where trucks stood: owner-only (0600), like the store they come from.
 */
export function writeReportFiles(dir: string, rendered: RenderedReport): string[] {
  makePrivateDir(dir);
  const files: [string, string][] = [
    ['report.json', rendered.json],
    ['report.html', rendered.html],
    ['violations.csv', rendered.csv],
    ['advisories.csv', rendered.advisoriesCsv],
  ];
  for (const [name, text] of files) writePrivateFile(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
