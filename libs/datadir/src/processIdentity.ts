import { readFileSync } from 'node:fs';

let bootId: string | null | undefined;

function currentBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/**
 * Which process a pid names, beyond the pid: the boot and the kernel's start time of the process
 * (clock ticks since boot, field 22 of /proc/<pid>/stat). A pid is reused once its process has
 * exited, often soon in containers; the start time is not. Null where /proc is not there (macOS,
 * Windows) or the process does not exist.
 */
export function processIdentity(pid: number): string | null {
  const boot = currentBootId();
  if (boot === null) return null;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = fields[19];
  return startTicks === undefined || !/^\d+$/.test(startTicks) ? null : `${boot}:${startTicks}`;
}
