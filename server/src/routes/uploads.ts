// Multipart plumbing shared by the file and emoji routes: the parts of a form as plain
// streams for the actions, and the transport's refusals as errors with stable codes.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { TooLarge, UploadAborted } from '../files/intake.js';
import type { UploadPart } from '../actions/files.js';

export interface FormLimits {
  fileSize: number;
  files: number;
  fields?: number;
}

/** 415 unless the request is multipart/form-data. */
export function requireMultipart(req: FastifyRequest): void {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the files as multipart/form-data.');
}

/** The file parts of a form, one at a time (each must be read before the next arrives); fields are skipped. */
export async function* fileParts(req: FastifyRequest, limits: FormLimits): AsyncGenerator<UploadPart> {
  requireMultipart(req);
  for await (const part of req.parts({ limits: { fields: 10, fieldSize: 1024, parts: limits.files + 10, ...limits } })) {
    if (part.type === 'file') yield { filename: part.filename, stream: part.file };
  }
}

/** Turns what went wrong on the client's side of an upload into a 4xx. */
export function uploadError(err: unknown, maxFileSize: number): unknown {
  if (err instanceof TooLarge) return new AppError(413, 'file_too_large', `Files can be at most ${err.limit} bytes.`);
  if (!(err instanceof UploadAborted)) return err;
  const cause = err.cause as { code?: string; statusCode?: number; message?: string };
  switch (cause?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError(413, 'file_too_large', `Files can be at most ${maxFileSize} bytes.`);
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError(413, 'payload_too_large', 'The form has too many files or fields.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(415, 'unsupported_media_type', 'Send the files as multipart/form-data.');
  }
  if (cause instanceof AppError) return cause;
  return new AppError(400, 'invalid_request', 'The upload was malformed or cut off.');
}

/**
 * Runs `work` and explains upload failures. With `readingOnly`, work only reads the form, so
 * any failure that is not already an answer is the client's (malformed or cut off).
 */
export async function withUploadErrors<T>(maxFileSize: number, work: () => Promise<T>, opts: { readingOnly?: boolean } = {}): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const clientSide = opts.readingOnly && !(err instanceof AppError) && !(err instanceof TooLarge) && !(err instanceof UploadAborted);
    throw uploadError(clientSide ? new UploadAborted(err) : err, maxFileSize);
  }
}
