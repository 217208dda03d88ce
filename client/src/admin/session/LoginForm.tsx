import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { formatWait, loginProblem, type LoginProblem } from './loginErrors';

interface Props {
  readonly onSubmit: (email: string, password: string) => Promise<void>;
  /** Why the form is shown (session ended, signed out), if there is a reason. */
  readonly notice: string | null;
}

/** Email and password; readable errors, including the wait a 429 imposes, counted down. */
export function LoginForm({ onSubmit, notice }: Props) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<LoginProblem | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => emailRef.current?.focus(), []);

  useEffect(() => {
    if (waitUntil === null) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= waitUntil) setWaitUntil(null);
    }, 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const waiting = waitUntil !== null && waitUntil > now;
  const remaining = waiting ? (waitUntil - now) / 1000 : 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || waiting) return;
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(email.trim(), password);
    } catch (err) {
      const p = loginProblem(err);
      setProblem(p);
      if (p.waitS !== null && p.code === 'rate_limited') {
        const t = Date.now();
        setNow(t);
        setWaitUntil(t + p.waitS * 1000);
      }
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="admin-login card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Sign in</h2>
      <p className="muted">Admins curate the dataset, train models and choose the live one.</p>
      {notice ? (
        <p className="notice" role="status" data-testid="login-notice">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            ref={emailRef}
            id={`${id}-email`}
            type="email"
            name="email"
            autoComplete="username"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            maxLength={1024}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </div>
        {/* The message is announced once; the countdown beside it is not re-read every second. */}
        <div className="login-problem">
          <div aria-live="assertive">
            {problem ? (
              <p className="error-text" data-testid="login-error" data-code={problem.code}>
                {problem.message}
              </p>
            ) : null}
          </div>
          {waiting ? (
            <p className="muted" data-testid="login-wait" data-seconds={Math.ceil(remaining)}>
              You can try again in <span className="tabular">{formatWait(remaining)}</span>.
            </p>
          ) : null}
        </div>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || waiting || !email.trim() || !password}
          data-testid="login-submit"
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
