import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../services';

export function SignInPage() {
  const { auth } = useServices();
  const signingIn = useStore(auth, (s) => s.signingIn);
  const message = useStore(auth, (s) => s.message);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void auth.getState().signIn({ username: username.trim(), password });
  };

  return (
    <main className="sign-in">
      <h1>Sign in</h1>
      <form onSubmit={submit} aria-describedby={message ? 'sign-in-message' : undefined}>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {message && (
          <p id="sign-in-message" role="alert" className="message">
            {message}
          </p>
        )}
        <button type="submit" disabled={signingIn}>
          {signingIn ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
