import { Link, useTitle } from '../router.js';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        This address is not a dashboard page. Go to the <Link to="/">overview</Link> or the{' '}
        <Link to="/runs">runs</Link>.
      </p>
    </section>
  );
}
