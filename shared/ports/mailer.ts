/** One e-mail. `text` and `html` are already rendered and escaped by the caller's template. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail (SES in production, an outbox folder in local mode). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
