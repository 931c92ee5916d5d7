import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The machine a benchmark ran on, as every results file names it: its cores and their model, and Node's version. */
export function machineDescription(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
}

/** What the machine's cores did over a measurement apart from this process, in cores (0.5: half of one core). */
export interface MachineShare {
  /** Busy with other processes (the kernel's work for them included). */
  othersBusy: number;
  /** Taken by the host of this virtual machine (`steal`): time no process here was given. */
  steal: number;
}

/** Linux counts /proc/stat's CPU times in ticks of 1/100 s (USER_HZ, the same on every architecture). */
const TICK_SECONDS = 0.01;

/**
 * Starts watching the machine: the function returned tells what its cores did since apart from this
 * process (undefined where /proc/stat is not there). Unlike the load average, a one-minute running mean
 * that still counts work ended before the measurement, this covers the measurement alone.
 */
export function watchMachineShare(): () => MachineShare | undefined {
  const start = cpuTicks();
  const ownStart = process.cpuUsage();
  const startedAt = performance.now();
  return () => {
    const end = cpuTicks();
    if (!start || !end) return undefined;
    const seconds = (performance.now() - startedAt) / 1000;
    const own = process.cpuUsage(ownStart);
    const ownSeconds = (own.user + own.system) / 1e6;
    const busySeconds = (end.busy - start.busy) * TICK_SECONDS;
    return {
      othersBusy: Math.max(0, busySeconds - ownSeconds) / seconds,
      steal: ((end.steal - start.steal) * TICK_SECONDS) / seconds,
    };
  };
}

/** The machine's busy and stolen CPU ticks so far, from /proc/stat's `cpu` line. */
function cpuTicks(): { busy: number; steal: number } | undefined {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal ...
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (ticks.length < 8 || !ticks.every(Number.isFinite)) return undefined;
  // Eight numbers, checked above: the defaults only satisfy the type checker.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return { busy: user + nice + system + irq + softirq, steal };
}
