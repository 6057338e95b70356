/** Maps any thrown error to the one reply shape {"error":{"code","message","details"}}. */
import type { FastifyReply } from 'fastify';
import { isAppError } from '../errors.js';

export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: Array<{ instancePath?: string; message?: string; params?: unknown }>;
  validationContext?: string;
}

export function toErrorReply(err: unknown): ErrorReply {
  if (isAppError(err)) return { status: err.status, code: err.code, message: err.message, details: err.details };
  const e = (err ?? {}) as FastifyLikeError;
  if (e.validation) {
    const where = e.validationContext ?? 'body';
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: `The request ${where} is not valid: ${e.validation.map((v) => `${where}${v.instancePath ?? ''} ${v.message ?? ''}`.trim()).join('; ')}`,
      details: e.validation.map((v) => ({ path: `${where}${v.instancePath ?? ''}`, message: v.message, params: v.params })),
    };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'BODY_TOO_LARGE', message: 'The request body is larger than the server accepts; send smaller batches' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: `${e.message ?? 'Unsupported content type'}; send application/json` };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'EMPTY_BODY', message: 'The body is empty; send a JSON document' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'BAD_CONTENT_LENGTH', message: 'Content-Length does not match the body' };
  }
  if (err instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, code: 'INVALID_JSON', message: `The body is not valid JSON: ${e.message ?? ''}`.trim() };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: e.code ?? 'BAD_REQUEST', message: e.message ?? 'Bad request' };
  }
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on the server; it has been logged' };
}

export function sendError(reply: FastifyReply, e: ErrorReply) {
  return reply.status(e.status).send({ error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } });
}
