/** What the server tells the page (`<script type="application/json" id="rizom-boot">`). */
export interface Boot {
  publicUrl: string;
  essay: string;
  prompt: string | null;
  mode: 'hosted' | 'embed';
  /** The API's RESPONSE_MAX_LENGTH, when the page tells it; else the default 10,000. */
  responseMaxLength: number;
}

export function readBoot(): Boot | null {
  const element = document.getElementById('rizom-boot');
  if (!element?.textContent) return null;
  try {
    const boot = JSON.parse(element.textContent) as Partial<Boot>;
    if (typeof boot.essay !== 'string') return null;
    return {
      publicUrl: boot.publicUrl ?? location.origin,
      essay: boot.essay,
      prompt: boot.prompt ?? null,
      mode: boot.mode === 'embed' ? 'embed' : 'hosted',
      responseMaxLength:
        typeof boot.responseMaxLength === 'number' && boot.responseMaxLength > 0
          ? boot.responseMaxLength
          : 10_000,
    };
  } catch {
    return null;
  }
}
