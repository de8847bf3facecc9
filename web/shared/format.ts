const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC', // as the server renders it, so nothing changes when the page takes over
});

/** "1 Dec 2026", as the server renders it. */
export const formatDate = (iso: string): string => dateFormat.format(new Date(iso));

/** "1 response", "12 responses". */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
