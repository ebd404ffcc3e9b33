import { writeFile } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import { parseArgs } from './cli';
import { runLoadTest } from './engine/run';
import { workerMain } from './engine/worker-main';
import { EXIT, LoadTestError } from './errors';
import { buildReport } from './report/build-report';
import { htmlReport } from './report/html-report';
import { liveLine, summaryTable } from './report/text';

/**
 * `npm run load-test -- --target http://localhost:8080/score --rate 300 --duration 60s --slo "p99<1000ms"`.
 * Exit codes: 0 pass, 2 usage, 3 SLO failed, 4 generator late (see errors.ts). This same file is
 * the worker-thread entry, so the esbuild bundle stays a single file.
 */
async function main(argv: readonly string[]): Promise<number> {
  const config = parseArgs(argv, process.env);
  if (config === undefined) return EXIT.OK;
  const result = await runLoadTest(config, {
    workerEntry: __filename,
    ...(config.live ? { onSecond: (s) => process.stderr.write(`${liveLine(s)}\n`) } : {}),
  });
  const report = buildReport(result);
  process.stdout.write(summaryTable(report));
  if (report.verdict === 'generator_late') {
    process.stderr.write(
      `generator fell behind: ${report.late_sends.count} of ${report.requests} requests left > ${config.lateThresholdMs}ms late ` +
        `(limit ${config.maxLateRatio * 100}%); use --workers or a bigger machine\n`,
    );
  }
  await writeReports(config.reportJson, config.reportHtml, report);
  return report.exit_code;
}

async function writeReports(
  jsonPath: string | undefined,
  htmlPath: string | undefined,
  report: ReturnType<typeof buildReport>,
): Promise<void> {
  const write = async (path: string, text: string): Promise<void> => {
    try {
      // The operator names the report file on the command line; writing where they asked is the point.
      // eslint-disable-next-line security/detect-non-literal-fs-filename
      await writeFile(path, text);
    } catch (err) {
      throw new LoadTestError('REPORT_WRITE_FAILED', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  if (jsonPath !== undefined) await write(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  if (htmlPath !== undefined) await write(htmlPath, htmlReport(report));
}

if (isMainThread) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof LoadTestError) {
        process.stderr.write(`load-test: ${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        process.stderr.write(`load-test: internal error: ${(err as Error).stack ?? String(err)}\n`);
        process.exitCode = EXIT.INTERNAL;
      }
    },
  );
} else {
  void workerMain();
}
