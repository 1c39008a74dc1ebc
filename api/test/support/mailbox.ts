/**
 * A real SMTP server in the test process (smtp-server + mailparser): what Kindred mails arrives
 * here over SMTP, as it would at a provider — never a mocked transport. `refuse()` makes it answer
 * every mail with a temporary failure (a provider that is down), `hold()` takes a mail's data but
 * never answers (a sender stuck mid-send), `accept()` takes mail again.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** The secret of the first Kindred link in the text (`#token=…`), if any. */
  token: string | null;
  /** The link's path, e.g. /account/invitation. */
  path: string | null;
}

export interface Mailbox {
  /** SMTP_URL for Kindred. */
  url: string;
  received: ReceivedMail[];
  /** Waits for a mail to `to` (and matching `subject` when given); fails after `timeoutMs`. */
  waitFor(to: string, options?: { subject?: RegExp; timeoutMs?: number }): Promise<ReceivedMail>;
  /** Mails received for `to` so far. */
  to(address: string): ReceivedMail[];
  refuse(): void;
  hold(): void;
  accept(): void;
  /** Mails received but left unanswered by `hold()` so far. */
  held(): number;
  stop(): Promise<void>;
}

function shape(mail: ParsedMail): ReceivedMail {
  const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text;
  const text = mail.text ?? '';
  const link = /https?:\/\/\S+?(\/account\/[a-z-]+)#token=(\S+)/.exec(text);
  return { to: to ?? '', subject: mail.subject ?? '', text, token: link?.[2] ?? null, path: link?.[1] ?? null };
}

export async function startMailbox(): Promise<Mailbox> {
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  let refusing = false;
  let holding = false;
  let held = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      if (holding) {
        stream.resume();
        stream.on('end', () => {
          held += 1;
        });
        return;
      }
      if (refusing) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable, try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          received.push(shape(mail));
          for (const wake of waiters.splice(0)) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const matching = (to: string, subject?: RegExp) =>
    received.filter((mail) => mail.to.toLowerCase() === to.toLowerCase() && (!subject || subject.test(mail.subject)));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => matching(address),
    async waitFor(to, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 15_000);
      for (;;) {
        const found = matching(to, options.subject);
        if (found.length > 0) return found.at(-1)!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to}${options.subject ? ` matching ${options.subject}` : ''} within the timeout`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    refuse: () => {
      refusing = true;
    },
    hold: () => {
      holding = true;
    },
    accept: () => {
      refusing = false;
      holding = false;
    },
    held: () => held,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
