import { ApiError } from '../api/adminClient';

/** What the login form says about a failed attempt, and how long to wait before the next. */
export interface LoginProblem {
  readonly code: string;
  readonly message: string;
  /** Seconds before another attempt can succeed (429), else null. */
  readonly waitS: number | null;
}

export function loginProblem(err: unknown): LoginProblem {
  if (!(err instanceof ApiError)) return { code: 'unknown', message: 'Signing in failed. Try again.', waitS: null };
  if (err.status === 429) {
    const wait = err.retryAfterS ?? 60;
    return {
      code: 'rate_limited',
      message: `Too many failed attempts. For your account\u2019s safety, wait ${formatWait(wait)} before trying again.`,
      waitS: wait,
    };
  }
  if (err.status === 401) return { code: err.code, message: 'That email and password do not match an admin account.', waitS: null };
  if (err.status === 400) {
    const fields = err.details.map((d) => d.field).join(' and ');
    return { code: err.code, message: fields ? `Check the ${fields}.` : err.message, waitS: null };
  }
  if (err.status === 403) return { code: err.code, message: 'The sign-in was refused (it must come from this site). Reload the page and try again.', waitS: null };
  return { code: err.code, message: err.message, waitS: err.retryAfterS };
}

/** 75 -> "1:15", 9 -> "0:09". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
