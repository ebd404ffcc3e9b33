import { Option, type Command } from 'commander';
import { wholeNumber } from '../cli-options';
import type { Io } from '../commands';
import type { BatchFlags } from './batch-command';

/** Adds `batch` to the CLI; its implementation loads when it runs. */
export function registerBatchCommand(program: Command, io: Io, configOption: () => Option): void {
  program
    .command('batch')
    .description(
      "score a CSV (no header, one lead a line, features in manifest order) with a SageMaker Transform job on the environment's deployed model " +
        '(SplitType Line, BatchStrategy MultiRecord, AssembleWith Line): wait for it, report the output; or with --target local, the same against a running model server',
    )
    .addOption(new Option('--target <target>', 'where to run').choices(['sagemaker', 'local']).default('sagemaker'))
    .option('--env <name>', 'environment from the environments file (staging, prod)')
    .requiredOption(
      '--input <uri>',
      's3://bucket/key-or-prefix (every object under it), or a local file with --target local',
    )
    .requiredOption('--output <uri>', 's3://bucket/prefix for <input object>.out, or a local file with --target local')
    .option('--instances <n>', "instances of the environment's type (default: its instanceCount)", wholeNumber(1, 100))
    .option('--model <bundle>', 'the bundle whose deployed version scores (default: models/demo)')
    .option(
      '--job-name <name>',
      'Transform job name (default: derived from the model version, input, output and instances, so a re-run finds its job)',
    )
    .option('--dry-run', 'print every AWS call with its parameters; no credentials or network needed')
    .option('--model-server <url>', 'with --target local: the model server, e.g. http://127.0.0.1:8081')
    .option(
      '--max-payload-mb <n>',
      'with --target local: MaxPayloadInMB (default: what the model server advertises at /execution-parameters)',
      wholeNumber(1, 100),
    )
    .addOption(configOption())
    .action(async (o: BatchFlags) => (await import('./batch-command')).batchCommand(io, o));
}
