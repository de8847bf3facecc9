/**
 * The only messages the frame and the host page exchange. They carry numbers and
 * nothing else: never a token, a name or the text of a response.
 */
export type FrameMessage =
  | { type: 'rizom:ready'; height: number }
  | { type: 'rizom:height'; height: number }
  | { type: 'rizom:scrollTo'; top: number };
