import { api } from '../api/api.js';
import type { StackDetail } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { JsonView } from '../components/json-view.js';
import { Empty, Loaded } from '../components/states.js';
import { useTitle } from '../router.js';

/** Stacks and their components; the server replaces secret references with "[secret]". */
export function StacksPage() {
  useTitle('Stacks');
  const stacks = useResource<StackDetail[]>(async () => {
    const list = await api.stacks();
    return Promise.all(list.map((s) => api.stack(s.name)));
  }, []);
  return (
    <section className="page">
      <h1>Stacks</h1>
      <Loaded resource={stacks} what="stacks">
        {(items) =>
          items.length === 0 ? (
            <Empty title="No stacks registered">
              The default stack is used. Register one with <code>strata stack register</code>.
            </Empty>
          ) : (
            items.map(({ stack, components }) => (
              <section key={stack.name} className="card">
                <h2>{stack.name}</h2>
                <table className="table">
                  <caption className="sr-only">Components of {stack.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Type</th>
                      <th scope="col">Component</th>
                      <th scope="col">Flavor</th>
                      <th scope="col">Configuration</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(stack.components).map(([type, name]) => {
                      const c = components.find((x) => x.type === type && x.name === name);
                      return (
                        <tr key={type}>
                          <td>{type}</td>
                          <td>{name}</td>
                          <td>{c?.flavor ?? '—'}</td>
                          <td>{c ? <JsonView value={c.config} /> : null}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </section>
            ))
          )
        }
      </Loaded>
    </section>
  );
}
