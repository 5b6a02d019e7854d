// `parley import slack <export.zip> [--report report.json] [--dry-run]`.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Deps } from '../actions/context.js';
import { AppError } from '../errors.js';
import { progressPrinter } from './progress.js';
import { summarize, type ImportReport } from './slack/report.js';
import { ImportFailed, importSlack } from './slack/run.js';
import { ZipError } from './slack/zip.js';

export async function importCommand(deps: Deps, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { report: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'batch-size': { type: 'string' }, 'progress-every-ms': { type: 'string' } },
  });
  const [kind, zipPath] = positionals;
  if (kind !== 'slack' || !zipPath) throw new AppError(400, 'invalid_request', 'Usage: parley import slack <export.zip> [--report report.json] [--dry-run]');
  const printer = progressPrinter(process.stderr, values['progress-every-ms'] ? Number(values['progress-every-ms']) : 2000);
  let report: ImportReport | null = null;
  let code = 0;
  try {
    report = await importSlack(deps, zipPath, {
      dryRun: values['dry-run'], onProgress: (p) => printer.update(p),
      batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
    });
  } catch (err) {
    printer.end();
    if (err instanceof ZipError) {
      console.error(`Import refused: ${err.message}`);
      return 1;
    }
    if (!(err instanceof ImportFailed)) throw err;
    report = err.report;
    code = 1;
  }
  printer.end();
  if (values.report && report) await fs.writeFile(values.report, JSON.stringify(report, null, 2));
  if (report) console.log(summarize(report));
  if (values.report) console.log(`\nFull report: ${values.report}`);
  return code;
}
