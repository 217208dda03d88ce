import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/adminClient';
import { formatWait, loginProblem } from './loginErrors';

describe('loginProblem', () => {
  it('turns a 429 into a wait', () => {
    const p = loginProblem(new ApiError(429, 'rate_limited', 'slow down', 75));
    expect(p.code).toBe('rate_limited');
    expect(p.waitS).toBe(75);
    expect(p.message).toContain('1:15');
  });

  it('says the same thing for an unknown email and a wrong password', () => {
    expect(loginProblem(new ApiError(401, 'invalid_credentials', 'x')).message).toBe('That email and password do not match an admin account.');
  });

  it('names the fields of a 400 and passes other messages through', () => {
    expect(loginProblem(new ApiError(400, 'bad_request', 'x', null, [{ field: 'email', message: 'required' }])).message).toBe('Check the email.');
    expect(loginProblem(new ApiError(0, 'network', 'unreachable')).message).toBe('unreachable');
  });
});

describe('formatWait', () => {
  it('reads as a clock', () => {
    expect(formatWait(9)).toBe('0:09');
    expect(formatWait(75)).toBe('1:15');
    expect(formatWait(3725)).toBe('1:02:05');
    expect(formatWait(0.2)).toBe('0:01');
  });
});
