import { cpus } from 'node:os';

/** The machine a benchmark ran on, as every results file names it: its cores and their model, and Node's version. */
export function machineDescription(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
}
