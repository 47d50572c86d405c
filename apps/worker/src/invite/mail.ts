import type { Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import nodemailer from "nodemailer";
import { parseMailbox } from "./ics.ts";

/** The SMTP server did not take a mail (unreachable, timed out or refused); another attempt may succeed. */
export class MailError extends Error {
  override readonly name = "MailError";
}

/** One invitation mail to one attendee. */
export type InvitationMail = { to: string; subject: string; text: string; ics: string; messageId: string };

/** Sends invitation mails through the SMTP server of `SMTP_URL`, over a small pool of connections. */
export function createMailer(options: { url: string; from: string; timeoutMs: number }) {
  const url = new URL(options.url);
  const secure = url.protocol === "smtps:";
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 25)),
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  const organizer = parseMailbox(options.from);
  return {
    organizer,
    /** Resolves once the server accepted the mail (250); rejects with a MailError otherwise. */
    async send(mail: InvitationMail): Promise<void> {
      try {
        await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          // Sent as the text/calendar; method=REQUEST alternative calendar clients act on, plus an invite.ics file.
          icalEvent: { method: "REQUEST", filename: "invite.ics", content: mail.ics },
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MailError(`SMTP did not accept the mail to ${mail.to}: ${reason}`);
      }
    },
    /** Resolves when the SMTP server answers a connection; for health checks. */
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
}
export type Mailer = ReturnType<typeof createMailer>;

// The same Message-ID on every copy of one invitation lets mail systems drop a duplicate should the
// worker die between the server's acceptance and the ledger write.
const messageIdOf = (taskId: string, recipient: string, domain: string) =>
  `<${taskId}.${new Bun.CryptoHasher("sha256").update(recipient).digest("hex").slice(0, 20)}@${domain}>`;

const PARALLEL_SENDS = 4;

/**
 * Mails the invitation to every attendee who has not been sent it yet, and records each accepted mail
 * in the `task_mails` ledger at once; a later attempt for the same task mails only the rest.
 * Rejects with the first MailError once the sends under way have finished.
 */
export async function mailInvitations(
  db: Sql,
  mailer: Mailer,
  invitation: { taskId: string; attendees: readonly string[]; subject: string; text: string; ics: string },
  log: Logger,
): Promise<number> {
  const done = new Set(
    (await db<{ recipient: string }[]>`select recipient from task_mails where task_id = ${invitation.taskId}`).map((r) => r.recipient),
  );
  const pending = invitation.attendees.filter((email) => !done.has(email));
  const domain = mailer.organizer.email.split("@")[1] ?? "w2meet";
  let failure: unknown;
  let sent = 0;
  const sendNext = async (): Promise<void> => {
    for (let to = pending.shift(); to !== undefined && failure === undefined; to = pending.shift()) {
      const messageId = messageIdOf(invitation.taskId, to, domain);
      try {
        await mailer.send({ to, subject: invitation.subject, text: invitation.text, ics: invitation.ics, messageId });
      } catch (error) {
        failure ??= error;
        return;
      }
      await db`
        insert into task_mails (task_id, recipient, message_id) values (${invitation.taskId}, ${to}, ${messageId})
        on conflict do nothing`;
      sent += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, pending.length) }, sendNext));
  log.info("invitations mailed", { sent, already_sent: done.size, ...(failure ? { failed: true } : {}) });
  if (failure !== undefined) throw failure;
  return sent;
}
