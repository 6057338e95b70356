/**
 * The one error type of CityOps. Every expected failure is an AppError with an
 * HTTP status and a stable code; the HTTP layer turns it into
 * {"error":{"code","message","details"}}. Anything else is a bug (500).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const notFound = (code: string, message: string, details?: unknown) => new AppError(404, code, message, details);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unauthorized = (message = 'Sign in first: send "Authorization: Bearer <token>" or an API key') =>
  new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message: string, details?: unknown) => new AppError(403, 'FORBIDDEN', message, details);

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
