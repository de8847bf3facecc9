import { escapeHtml } from '../../common/html-page.js';

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `<time datetime="ISO">1 Dec 2026</time>` */
export function timeHtml(date: Date): string {
  return `<time datetime="${date.toISOString()}">${DATE.format(date)}</time>`;
}

/** "1 response", "12 responses". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A query string from the parameters that are set. */
export function queryString(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export { escapeHtml };
