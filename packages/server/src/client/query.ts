/** Query strings from plain objects: arrays joined with commas, dates as ISO, undefined left out. */
export function queryString(params: object): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) q.set(key, value.join(','));
    } else if (value instanceof Date) q.set(key, value.toISOString());
    else q.set(key, String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;
