/** CPU accounting of bench processes, from /proc (Linux). */
import { readFile } from 'node:fs/promises';

/** CPU seconds (user + system) a process has used so far. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
