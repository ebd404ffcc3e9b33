import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { readAppConfig } from '../app-config';
import { loadEnvironment } from '../environments';
import { DeployError } from '../errors';
import { resendFallbackObjects, type LakeResendSummary } from './lake-resend';

/** Options of `lake-resend`, as commander parses them. */
export interface LakeResendCommandOptions {
  env: string;
  dryRun?: boolean | undefined;
  config?: string | undefined;
}

/**
 * `lake-resend`: sends the records of the environment's lake fallback objects (`s3://<lake bucket>/_failed/`) to
 * its Firehose stream and deletes each object once all its records were accepted; stdout gets the summary
 * (objects, records, bytes), stderr one line per object. Throws LAKE_RESEND_INCOMPLETE, after printing, when
 * some objects remain.
 *
 * @example
 * await lakeResendCommand(io, { env: 'prod', dryRun: true });
 */
export async function lakeResendCommand(
  io: { stdout(t: string): void; stderr(t: string): void },
  opts: LakeResendCommandOptions,
  clients?: { s3: S3Client; firehose: FirehoseClient },
): Promise<LakeResendSummary> {
  const app = readAppConfig({ configFlag: opts.config });
  const environment = await loadEnvironment(app.environmentsFile, opts.env);
  const lake = environment.lake;
  if (!lake) {
    throw new DeployError(
      'LAKE_NOT_CONFIGURED',
      `environment "${opts.env}" in ${app.environmentsFile} has no "lake" settings`,
      {
        hint: 'add "lake": {"bucket", "streamName", "fallbackPrefix"} as apps/infra names them (lead-scoring-lake-<env>, lead-scoring-<env>-scores, _failed/)',
      },
    );
  }
  const s3 = clients?.s3 ?? new S3Client({ region: environment.region });
  const firehose = clients?.firehose ?? new FirehoseClient({ region: environment.region });
  try {
    const summary = await resendFallbackObjects({
      s3,
      firehose,
      bucket: lake.bucket,
      prefix: lake.fallbackPrefix,
      streamName: lake.streamName,
      dryRun: opts.dryRun ?? false,
      onProgress: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    if (summary.kept.length > 0) {
      const left = summary.kept.reduce((s, k) => s + (k.left ?? 0), 0);
      throw new DeployError(
        'LAKE_RESEND_INCOMPLETE',
        `${summary.kept.length} objects with ${left} records stay under s3://${lake.bucket}/${lake.fallbackPrefix}`,
        {
          hint: 're-run when Firehose accepts records again (nothing accepted is sent twice); an object with a line that is not a JSON record needs a look by hand',
        },
      );
    }
    return summary;
  } finally {
    if (!clients) {
      s3.destroy();
      firehose.destroy();
    }
  }
}
