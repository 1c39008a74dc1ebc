/**
 * The one mail path (docs/decisions/0008-jobs-and-mail.md): nodemailer over SMTP (`SMTP_URL`).
 * Without it — development only; production refuses to start — each mail is written as an .eml
 * file into a folder (`.data/mail` for `pnpm start`) and printed to the console: recipient,
 * subject and links, so a newcomer can follow the demo's invitation links. Mails are sent by jobs,
 * never inside a request: a slow or down SMTP server delays a mail, never a mutation.
 *
 * What a mail may say is narrow: it never names a program or a group (that alone reveals a therapy
 * context to whoever sees the inbox), never carries health content, and never repeats a personal
 * identifier beyond the address it goes to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

/** One mail: plain text (links as they are), to one address. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** smtp://user:pass@host:port (or smtps://); unset: the development mailbox. */
  smtpUrl?: string;
  /** Folder of the development mailbox (.eml files). */
  devMailbox?: string;
  from?: string;
  /** Where the development mailbox announces each mail (default: the console). */
  announce?: (line: string) => void;
}

const DEFAULT_FROM = 'Kindred <no-reply@kindred.invalid>';

/** The SMTP transport, or the development mailbox when there is no SMTP server. */
export function createMailer(options: MailerOptions): Mailer {
  const from = options.from ?? DEFAULT_FROM;
  if (options.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      },
      close: () => transport.close(),
    };
  }
  const folder = options.devMailbox ?? join(process.cwd(), '.data', 'mail');
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
      mkdirSync(folder, { recursive: true });
      const file = join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[<>@]/g, '')}.eml`);
      writeFileSync(file, info.message as Buffer);
      const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
      announce(['', `  ✉  to ${mail.to}: ${mail.subject}`, ...links.map((link) => `     ${link}`), `     (${file})`, ''].join('\n'));
    },
    close: () => transport.close(),
  };
}
