/** Helpers of the process tests. */
import { readFileSync } from 'node:fs';

/** True while `pid` exists (running or a zombie). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** True when `pid` is a zombie (exited, not reaped). */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Waits (bounded, without timing assertions) until `pid` is gone. */
export async function pidGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 1000; i++) {
    if (!pidExists(pid)) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

/** Zombie children of this process. */
export function zombieChildren(): number[] {
  const out: number[] = [];
  let tasks: string;
  try {
    tasks = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
  } catch {
    return out;
  }
  for (const p of tasks.split(' ').filter(Boolean).map(Number)) if (isZombie(p)) out.push(p);
  return out;
}

/** Waits (bounded) until no process of group `pgid` is left. */
export async function groupGone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 1000; i++) {
    try {
      process.kill(-pgid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}
