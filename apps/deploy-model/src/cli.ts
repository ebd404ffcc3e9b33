import { Command, CommanderError, Option } from 'commander';
import type { Io } from './commands';
import { DeployError, exitCodeOf } from './errors';
import { MAX_SAMPLE_ROWS } from './init/sample-table';
import { registerBatchCommand } from './batch/batch-cli';
import { registerRescoreCommand } from './rescore/rescore-cli';
import { registerShadowCommands } from './shadow/shadow-cli';
import { wholeNumber } from './cli-options';
import { OUTPUT_KINDS } from './predict/run-predict';

// Each command's implementation (and the AWS SDK, DuckDB, parquet-wasm behind it) loads only when it runs,
// so `--help` and usage errors answer fast (docs/adr/0012-cli-bundles-and-launcher.md).
const commands = () => import('./commands');

/** Builds the commander program; each action is a thin call into commands.ts. */
export function createProgram(io: Io): Command {
  const program = new Command('deploy-model')
    .description(
      'Make (init), validate, package and deploy lead-scoring model bundles (SageMaker or a local model server)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)');
  const configOption = (): Option =>
    new Option(
      '--config <file>',
      'environments file (default: $DEPLOY_MODEL_ENVIRONMENTS or apps/deploy-model/config/environments.json)',
    );

  program
    .command('predict')
    .description('score a JSON/CSV rows file with an XGBoost model file; prints {"predictions": ...}')
    .requiredOption('--model <file>', 'XGBoost model (JSON or UBJSON)')
    .requiredOption(
      '--input <file>',
      'rows.json (array of rows, null = missing) or rows.csv (no header, empty = missing)',
    )
    .addOption(new Option('--output <kind>', 'what to predict').choices(OUTPUT_KINDS).default('prediction'))
    .action(async (o) => (await commands()).predictCommand(io, o));
  program
    .command('init')
    .description(
      `make a bundle (xgboost-model + manifest.json) from a model file and its training sample: feature contract, score mapping, drift baseline and reference predictions from the sample (its first ${MAX_SAMPLE_ROWS.toLocaleString('en-US')} rows at most); set SOURCE_DATE_EPOCH for reproducible output`,
    )
    .requiredOption('--model <file>', 'XGBoost model (model.json or model.ubj, as save_model wrote it)')
    .requiredOption(
      '--sample <file>',
      `training sample: .csv with a header (empty field = missing) or .parquet; columns = the model's features in order; first ${MAX_SAMPLE_ROWS.toLocaleString('en-US')} rows read`,
    )
    .requiredOption('--out <dir>', 'bundle folder to create (must not exist, or be empty)')
    .requiredOption('--name <name>', 'model name: lower-case letters, digits and hyphens, at most 48')
    .requiredOption('--version <semver>', 'model version, e.g. 1.0.0')
    .option(
      '--features <spec.json>',
      'overrides per feature: {"<name>": {"description", "unit", "kind", "min", "max", "integer", "allow_missing"}} (null min/max = unbounded)',
    )
    .option(
      '--thresholds <a,b,c,d>',
      'single-output models: score thresholds (default: the quintiles of the sample predictions)',
    )
    .action(async (o) => (await commands()).initCommand(io, o));
  program
    .command('drift-report')
    .description(
      'per-feature PSI of the lake against the training baseline (exit 2: no data in range, 3: an alert with --fail-on-alert)',
    )
    .requiredOption(
      '--lake <dir>',
      'lake root: the LAKE_DIR of the server (e.g. ./var/lake), or s3://bucket[/prefix] (the bucket holding scores/dt=…/)',
    )
    .option('--from <date>', 'first day, YYYY-MM-DD (UTC, inclusive)')
    .option('--to <date>', 'last day, YYYY-MM-DD (UTC, inclusive)')
    .option('--manifest <path>', 'bundle manifest with the training baseline', 'models/demo/manifest.json')
    .option('--html <file>', 'also write an HTML report with charts to this file')
    .option('--fail-on-alert', 'exit 3 when a feature or the score distribution is at alert level')
    .action(async (o) => (await import('./drift/drift-report-command')).driftReport(io, o));
  program
    .command('validate')
    .description('check a bundle: sha256, features, objective, sample scores, reference predictions')
    .requiredOption('--model <bundle>', 'bundle folder (xgboost-model + manifest.json)')
    .action(async (o) => (await commands()).validateCommand(io, o));
  program
    .command('package')
    .description('write a reproducible SageMaker model.tar.gz')
    .requiredOption('--model <bundle>', 'bundle folder')
    .requiredOption('--out <file>', 'output file, e.g. dist/model/model.tar.gz')
    .addOption(
      new Option(
        '--layout <layout>',
        'bundle = model + manifest (our server); builtin = model only (SageMaker XGBoost image)',
      )
        .choices(['bundle', 'builtin'])
        .default('bundle'),
    )
    .action(async (o) => (await commands()).packageCommand(io, o));
  program
    .command('deploy')
    .description(
      'validate, upload, create/update the endpoint (blue/green canary), wait, autoscale; or install locally',
    )
    .option('--env <name>', 'environment from the environments file (staging, prod)')
    .option('--model <bundle>', 'bundle folder (default: models/demo)')
    .option('--dry-run', 'print every AWS call with its parameters; no credentials or network needed')
    .addOption(new Option('--target <target>', 'where to deploy').choices(['sagemaker', 'local']).default('sagemaker'))
    .option('--model-dir <dir>', "with --target local: the model server's SM_MODEL_DIR")
    .option(
      '--shadow',
      'install the bundle as the shadow model (scored beside production, answers unchanged) instead of production',
    )
    .option('--shadow-dir <dir>', 'with --shadow --target local: the SHADOW_MODEL_DIR of the API and the model server')
    .addOption(configOption())
    .action(async (o) =>
      o.shadow
        ? (await import('./shadow/shadow-commands')).deployShadowCommand(io, o)
        : (await commands()).deployCommand(io, o),
    );
  registerShadowCommands(program, io, configOption);
  registerRescoreCommand(program, io);
  registerBatchCommand(program, io, configOption);
  program
    .command('status')
    .description("show the endpoint's state")
    .requiredOption('--env <name>', 'environment')
    .addOption(configOption())
    .action(async (o) => (await commands()).statusCommand(io, o));
  program
    .command('rollback')
    .description('move the endpoint back to its previous endpoint config')
    .requiredOption('--env <name>', 'environment')
    .addOption(configOption())
    .action(async (o) => (await commands()).rollbackCommand(io, o));
  program
    .command('lake-resend')
    .description(
      'send the records of the lake fallback objects (s3://<lake bucket>/_failed/) to Firehose; delete each object once all its records are accepted',
    )
    .requiredOption('--env <name>', 'environment')
    .option('--dry-run', 'list the objects and count their records and bytes; send, rewrite and delete nothing')
    .addOption(configOption())
    .action(async (o) => void (await (await import('./lake/lake-resend-command')).lakeResendCommand(io, o)));
  program
    .command('prune')
    .description('delete old endpoint configs and models (keeps the newest N and everything in use)')
    .requiredOption('--env <name>', 'environment')
    .requiredOption('--keep <n>', 'endpoint configs to keep', wholeNumber(0))
    .option('--dry-run', 'list what would be deleted')
    .addOption(configOption())
    .action(async (o) => (await commands()).pruneCommand(io, o));
  return program;
}

/**
 * Runs the CLI and resolves the process exit code; never throws and never prints a stack trace.
 *
 * @example process.exitCode = await runCli(process.argv.slice(2), { stdout: ..., stderr: ... });
 */
export async function runCli(args: readonly string[], io: Io): Promise<number> {
  try {
    await createProgram(io).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof DeployError) {
      io.stderr(`error [${err.code}]: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      return exitCodeOf(err.code);
    }
    io.stderr(`error: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}
