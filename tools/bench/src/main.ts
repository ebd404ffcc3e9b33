/**
 * `npm run bench [-- <project>...]`: runs each project's `bench` target one after the other (they share
 * two cores, so never in parallel), then prints the table of every area that reported in this run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '@lead-scoring/testing';
import { formatReport, resultsDir, type AreaReport } from './report';

const started = Date.now();
const projects = process.argv.slice(2).filter((a) => a !== '--');
const args = ['nx', 'run-many', '-t', 'bench', '--parallel=1', '--outputStyle=stream'];
if (projects.length) args.push(`--projects=${projects.join(',')}`);
const run = spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });

const reports: AreaReport[] = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((f) => f.endsWith('.json') && statSync(join(resultsDir, f)).mtimeMs >= started)
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as AreaReport)
  : [];
process.stdout.write('\n=== bench summary ===\n');
for (const r of reports) process.stdout.write('\n' + formatReport(r));
const missed = reports.flatMap((r) => r.figures.filter((f) => f.holds === false).map((f) => `${r.area}: ${f.metric}`));
if (missed.length)
  process.stdout.write(`\nTargets not met (${missed.length}):\n${missed.map((m) => `  - ${m}`).join('\n')}\n`);
process.exit(run.status ?? 1);
