import { plural } from '../shared/format.js';

/** "2 new responses — show": live arrivals wait here, so nothing moves under the reader. */
export function LiveBanner({ count, onShow }: { count: number; onShow: () => void }) {
  if (count === 0) return null;
  return (
    <p class="live-banner">
      <button type="button" class="button button--quiet" onClick={onShow}>
        {plural(count, 'new response')} — show
      </button>
    </p>
  );
}
