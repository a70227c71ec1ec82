import nodemailer from 'nodemailer';

/** What a campaign needs from the environment, read when it starts (so a test can point it at its own server). */
export interface MailingConfig {
  /** `SMTP_URL`, e.g. `smtp://user:pass@mail.example.com:587`; no email campaigns without it. */
  smtpUrl: string | null;
  /** `MAIL_FROM`: the sender address. */
  from: string;
  /** `PUBLIC_URL`: where the unsubscribe links point. */
  publicUrl: string;
}

export function mailingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailingConfig {
  return {
    smtpUrl: env.SMTP_URL?.trim() || null,
    from: env.MAIL_FROM?.trim() || 'Crewdeck <no-reply@localhost>',
    publicUrl: (env.PUBLIC_URL?.trim() || `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
  };
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers: Record<string, string>;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Sends through the SMTP server of `SMTP_URL` with nodemailer, one pooled connection per campaign. */
export function smtpSender(config: MailingConfig & { smtpUrl: string }): MailSender {
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: config.from, ...mail });
    },
    close: () => transport.close(),
  };
}

/** An SMS gateway. None is configured yet: SMS segments can only be exported. */
export interface SmsProvider {
  send(to: string, text: string): Promise<void>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The HTML part: the text escaped, paragraphs on blank lines, line breaks kept, and the unsubscribe link. */
export function htmlOf(text: string, unsubscribeUrl: string, unsubscribeLabel: string): string {
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html><html><body>${paragraphs}\n<hr><p><a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(unsubscribeLabel)}</a></p></body></html>`;
}
