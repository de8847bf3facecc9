/** The desk's keys, as the help dialog lists them. */
export const SHORTCUTS: [key: string, what: string][] = [
  ['j', 'Next response'],
  ['k', 'Previous response'],
  ['o or Enter', 'Open the response'],
  ['Escape', 'Close the response or this help'],
  ['r', 'Mark read'],
  ['s', 'Shortlist'],
  ['a', 'Archive'],
  ['x', 'Mark as spam'],
  ['l', 'Edit labels'],
  ['n', 'Edit the private note'],
  ['R', 'Reply as the author'],
  ['/', 'Search'],
  ['?', 'Show these shortcuts'],
];

/** Keys typed into a field are text, not commands. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    Boolean(target.closest('dialog[open]'))
  );
}
