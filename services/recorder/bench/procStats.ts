import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) and resident memory of a process, from /proc (Linux only). */
export interface ProcSample {
  readonly cpuSeconds: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux, as `getconf CLK_TCK` reports on every mainstream kernel.

export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export interface ProcUsage {
  readonly name: string;
  readonly pid: number;
  /** Share of one core over the window (100 % = one core busy). */
  readonly cpuPercent: number;
  readonly rssMb: number;
  readonly peakRssMb: number;
}

export function usageBetween(name: string, pid: number, before: ProcSample | undefined, after: ProcSample | undefined, seconds: number): ProcUsage | undefined {
  if (before === undefined || after === undefined) return undefined;
  return {
    name,
    pid,
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    rssMb: after.rssMb,
    peakRssMb: after.peakRssMb,
  };
}
