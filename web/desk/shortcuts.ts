type Keys = [key: string, what: string][];

const EVERYWHERE: Keys = [
  ['/', 'Search or filter'],
  ['?', 'Show these shortcuts'],
];
const LIST: Keys = [
  ['j', 'Next card'],
  ['k', 'Previous card'],
];

/** The keys of each desk page, as the help dialog lists them. */
export const SHORTCUTS: Record<string, Keys> = {
  '/desk': [
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
    ...EVERYWHERE,
  ],
  '/desk/collaborators': [...LIST, ...EVERYWHERE],
  '/desk/essays': [...LIST, ...EVERYWHERE],
  '/desk/audit': [['j', 'Next entry'], ['k', 'Previous entry'], ...EVERYWHERE],
  '/desk/settings': [['?', 'Show these shortcuts']],
};

/** Keys typed into a field are text, not commands. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    Boolean(target.closest('dialog[open]'))
  );
}

/**
 * Moves focus to the next (`step` 1) or previous (-1) of the page's items
 * (`[data-desk-item]`: a card, an essay, an entry), from the one holding focus.
 */
export function moveThroughItems(step: number): void {
  const items = [...document.querySelectorAll<HTMLElement>('[data-desk-item]')];
  if (items.length === 0) return;
  const index = items.findIndex((item) => item.contains(document.activeElement));
  const next = index < 0 ? 0 : Math.min(items.length - 1, Math.max(0, index + step));
  items[next]!.focus();
  items[next]!.scrollIntoView({ block: 'nearest' });
}

/** Focuses the page's search or filter (`[data-desk-search]`), unfolding it if folded. */
export function focusSearch(): boolean {
  const field = document.querySelector<HTMLElement>('[data-desk-search]');
  if (!field) return false;
  field.closest('details')?.setAttribute('open', '');
  // A folded field shows on the next frame.
  requestAnimationFrame(() => field.focus());
  return true;
}
