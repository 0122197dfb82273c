import { useState } from 'react';
import { forgetServerInfo, useServerInfo } from '../api/identity.js';
import { readToken, saveToken } from '../api/token.js';
import { Loaded } from '../components/states.js';
import { useTitle } from '../router.js';

/** The API token this browser sends, and who the server takes us for. */
export function SettingsPage() {
  useTitle('Settings');
  const [token, setToken] = useState(readToken() ?? '');
  const info = useServerInfo();
  return (
    <section className="page">
      <h1>Settings</h1>
      <section className="card">
        <h2>Server</h2>
        <Loaded resource={info} what="server information">
          {(i) => (
            <dl className="facts">
              <dt>Version</dt>
              <dd>{i.version}</dd>
              <dt>Metadata store</dt>
              <dd>{i.database}</dd>
              <dt>Signed in as</dt>
              <dd data-testid="principal">
                {i.principal.name} ({i.principal.scope} scope
                {i.auth === 'local' ? ', local user on loopback' : ''})
              </dd>
            </dl>
          )}
        </Loaded>
      </section>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          saveToken(token.trim() || undefined);
          forgetServerInfo();
          window.location.reload();
        }}
      >
        <h2>API token</h2>
        <p className="small muted">
          Kept in this browser only. Create one with <code>strata server token create --scope read</code>.
        </p>
        <label>
          Token{' '}
          <input
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
          />
        </label>
        <button type="submit">Save</button>
      </form>
    </section>
  );
}
