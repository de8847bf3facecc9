import { announcement, online } from './state.js';

/** Announcements for screen readers, and the offline notice everyone sees. */
export function StatusRegion() {
  return (
    <>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement.value}
      </p>
      {!online.value && (
        <p class="notice notice--offline" role="alert">
          You are offline. You can keep writing: your draft is kept until you are back.
        </p>
      )}
    </>
  );
}
