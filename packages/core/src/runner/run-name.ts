/** Expands a run-name template: {pipeline}, {date}, {time}, {id} and {params.NAME}. */
export function renderRunName(
  template: string | undefined,
  vars: { pipeline: string; id: string; params: Readonly<Record<string, unknown>>; now: number },
): string {
  const iso = new Date(vars.now).toISOString();
  const values: Record<string, string> = {
    pipeline: vars.pipeline,
    date: iso.slice(0, 10),
    time: iso.slice(11, 19).replaceAll(':', '-'),
    id: vars.id.slice(-6),
  };
  return (template ?? '{pipeline}-{date}-{time}-{id}').replace(/\{([\w.]+)\}/g, (whole, name: string) => {
    if (name.startsWith('params.')) {
      const value = vars.params[name.slice('params.'.length)];
      return value === undefined ? whole : String(value);
    }
    return values[name] ?? whole;
  });
}
