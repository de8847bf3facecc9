/** What a composer hands the sender: both parts, and headers such as List-Unsubscribe. */
export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}
