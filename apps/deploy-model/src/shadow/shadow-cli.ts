import { Option, type Command } from 'commander';
import { wholeNumber } from '../cli-options';
import type { Io } from '../commands';

/**
 * Registers `shadow-report` and `promote` (`deploy --shadow` is an option of `deploy`, routed to
 * {@link deployShadowCommand}).
 */
export function registerShadowCommands(program: Command, io: Io, configOption: () => Option): void {
  program
    .command('shadow-report')
    .description(
      'compare production and shadow scores on the same leads from the lake: agreement matrix, score moves, probability differences (exit 2: no shadowed lead in range)',
    )
    .requiredOption('--lake <dir>', 'lake root: the LAKE_DIR of the server (e.g. ./var/lake), or s3://bucket[/prefix]')
    .option(
      '--since <time>',
      'only leads since: a date or UTC time (2026-11-29, 2026-11-29T08:00:00Z) or a duration back from now (90m, 24h, 7d)',
    )
    .option('--html <file>', 'also write a self-contained HTML page with the charts')
    .option(
      '--model <bundle>',
      "the production bundle, with --shadow-model: compare the two models' TreeSHAP contributions",
    )
    .option('--shadow-model <bundle>', 'the shadow bundle')
    .option('--sample <n>', 'leads explained for the contribution comparison (default 500)', wholeNumber(1))
    .action(async (o) => void (await (await import('./shadow-report-command')).shadowReport(io, o)));
  program
    .command('promote')
    .description(
      'make the shadow model production (zero-downtime switch); the model it replaces stays as the rollback target',
    )
    .addOption(new Option('--target <target>', 'where').choices(['sagemaker', 'local']).default('sagemaker'))
    .option('--env <name>', "environment (SageMaker: the shadow variant becomes the production variant's model)")
    .option('--model-dir <dir>', "with --target local: the model server's SM_MODEL_DIR")
    .option('--shadow-dir <dir>', 'with --target local: the SHADOW_MODEL_DIR the shadow bundle is in (emptied after)')
    .option(
      '--previous-dir <dir>',
      'with --target local: where the replaced bundle is kept (default <model-dir>.previous)',
    )
    .option('--dry-run', 'print every AWS call with its parameters')
    .addOption(configOption())
    .action(async (o) => (await import('./shadow-commands')).promoteCommand(io, o));
}
