// `streamcert lab up|down|status|logs`: the embedded one-machine Kubernetes.
import { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';

export function labCommand(): Command {
  const lab = new Command('lab').description('the lab: a one-machine Kubernetes built from the real components');
  lab
    .command('up')
    .description('build (first time) and start the lab; prints the kubeconfig path')
    .option('--with <parts>', 'add optional parts, remembered for later ups (cassandra: the K8ssandra half)')
    .option('--without <parts>', 'remove optional parts')
    .action(async (opts: { with?: string; without?: string }) => {
      const { labUp } = await import('../lab/index.ts');
      const { parsePartList } = await import('../lab/index.ts');
      const { kubeconfig } = await labUp({ progress: true, with: parsePartList(opts.with), without: parsePartList(opts.without) });
      process.stdout.write(`${kubeconfig}\n`);
    });
  lab
    .command('down')
    .description('stop every lab process and remove its network and mounts (keeps built binaries and images)')
    .action(async () => {
      const { labDown } = await import('../lab/index.ts');
      await labDown();
    });
  lab
    .command('status')
    .description('each lab component with its version, address and health')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const { labStatus } = await import('../lab/index.ts');
      const status = await labStatus();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      for (const c of status) {
        process.stdout.write(
          `${c.healthy ? '✔' : '✘'} ${c.name.padEnd(24)} ${String(c.version ?? '').padEnd(10)} ${String(c.address ?? '').padEnd(28)} ${c.pid ? `pid ${c.pid}` : ''}\n`,
        );
      }
      const { labMemory } = await import('../lab/index.ts');
      const mem = await labMemory();
      process.stdout.write(
        `memory: ${mem.totalMiB} MiB RSS (components ${mem.componentsMiB} MiB, pods ${mem.podsMiB} MiB in ${mem.podProcesses} processes)\n`,
      );
      if (!status.every((c) => c.healthy)) process.exitCode = 3;
    });
  lab
    .command('logs <component>')
    .description('print the log of a lab component (see `lab status` for names)')
    .action(async (component: string) => {
      const { labLogs } = await import('../lab/index.ts');
      const file = labLogs(component);
      if (!existsSync(file)) throw new Error(`no log for ${component} at ${file}`);
      process.stdout.write(readFileSync(file, 'utf8'));
    });
  return lab;
}
