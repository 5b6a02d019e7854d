/** A bad command line: reported as one sentence, without a stack trace. */
export class UsageError extends Error {}

export function isUsageError(err: unknown): err is Error {
  return err instanceof UsageError || (err instanceof Error && String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS'));
}
