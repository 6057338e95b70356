/**
 * Session tokens: JWT (HS256, jose) carrying the user id, signed with the
 * configured secret or one generated once and kept in the store so every
 * process on the same database accepts every other's tokens. Time comes from
 * the injected clock, so tests can expire tokens without sleeping.
 */
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../errors.js';
import type { Clock } from '../clock.js';

const ISSUER = 'cityops';
const AUDIENCE = 'cityops';

export interface SessionDeps {
  clock: Clock;
  ttlSeconds: number;
  /** Resolves the signing secret (configured or stored). */
  secret: () => Promise<string>;
}

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export interface VerifiedToken {
  userId: string;
  /** Epoch ms (whole seconds) when the token was issued. */
  issuedAt: number;
}

export function createSessions(deps: SessionDeps) {
  let key: Promise<Uint8Array> | undefined;
  const getKey = () => (key ??= deps.secret().then((s) => new TextEncoder().encode(s)));

  return {
    async issue(userId: string): Promise<IssuedToken> {
      const iat = Math.floor(deps.clock.now() / 1000);
      const exp = iat + deps.ttlSeconds;
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(await getKey());
      return { token, expiresAt: exp * 1000 };
    },

    /** Throws 401 TOKEN_EXPIRED or INVALID_TOKEN. */
    async verify(token: string): Promise<VerifiedToken> {
      try {
        const { payload } = await jwtVerify(token, await getKey(), {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: new Date(deps.clock.now()),
          requiredClaims: ['sub', 'iat', 'exp'],
        });
        return { userId: payload.sub!, issuedAt: payload.iat! * 1000 };
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new AppError(401, 'TOKEN_EXPIRED', 'The session token has expired; sign in again with POST /api/v1/auth/login');
        if (err instanceof joseErrors.JOSEError) throw new AppError(401, 'INVALID_TOKEN', 'The session token is not valid; sign in again with POST /api/v1/auth/login');
        throw err;
      }
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
