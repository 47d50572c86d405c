import type { Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import { constants } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { parseMailbox } from "./ics.ts";

/**
 * The SMTP server did not take a mail (unreachable, timed out or refused); another attempt may succeed.
 * The message says so in words, fit for a task's public `error`; the server's address and its own
 * error text stay in `detail`, for the logs.
 */
export class MailError extends Error {
  override readonly name = "MailError";
  constructor(
    message: string,
    readonly detail: { smtp: string; error: string },
  ) {
    super(message);
  }
}

// nodemailer's codes for a server it could not talk to at all.
const UNREACHABLE = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED"]);

function mailError(what: string, to: string, smtp: string, error: unknown): MailError {
  const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
  const words = responseCode
    ? `The mail server refused the ${what} to ${to} (${responseCode})`
    : code && UNREACHABLE.has(code)
      ? "The mail server could not be reached"
      : `The mail server did not take the ${what} to ${to}`;
  return new MailError(words, { smtp, error: error instanceof Error ? error.message : String(error) });
}

/** The iTIP method of an invitation: a request (a new or moved meeting) or its cancellation. */
export type InviteMethod = "REQUEST" | "CANCEL";

/** One mail to one address: an invitation (with its `ics` and method) or a plain-text mail. */
type Mail = { to: string; subject: string; text: string; ics?: string; method?: InviteMethod; messageId: string };

/**
 * Sends invitation mails through the SMTP server of `SMTP_URL`, over a small pool of connections; or,
 * with a `file:///folder` URL (a native run with no mail server), writes each one there as an .eml file.
 */
export function createMailer(options: { url: string; from: string; timeoutMs: number }) {
  const url = new URL(options.url);
  const folder = url.protocol === "file:" ? decodeURIComponent(url.pathname) : undefined;
  const secure = url.protocol === "smtps:";
  const transport = folder
    ? nodemailer.createTransport({ streamTransport: true, buffer: true })
    : nodemailer.createTransport({
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
  const where = folder ?? url.host;
  const organizer = parseMailbox(options.from);
  return {
    organizer,
    /**
     * Resolves once the server accepted the mail (250), or once it is written to the folder (with the
     * file's path: one per address and Message-ID, so a second copy overwrites the first); rejects with a
     * MailError otherwise.
     */
    async send(mail: Mail): Promise<{ path?: string }> {
      try {
        const sent = await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          // Sent as the text/calendar; method=REQUEST (or CANCEL) alternative calendar clients act on, plus an invite.ics file.
          ...(mail.ics !== undefined && { icalEvent: { method: mail.method ?? "REQUEST", filename: "invite.ics", content: mail.ics } }),
        });
        if (!folder) return {};
        // One file per address and invitation: the Message-ID's part before the hash (the task, and any sequence).
        const path = join(folder, `${mail.to}-${mail.messageId.slice(1).split("@")[0]!.split(".").slice(0, -1).join(".")}.eml`);
        await mkdir(folder, { recursive: true });
        await Bun.write(path, (sent as { message: Buffer }).message);
        return { path };
      } catch (error) {
        throw mailError(mail.ics === undefined ? "mail" : "invitation", mail.to, where, error);
      }
    },
    /** Resolves when the SMTP server answers a connection (or the folder can be written); for health checks. */
    verify: folder
      ? async () => {
          await mkdir(folder, { recursive: true });
          await access(folder, constants.W_OK);
          return true;
        }
      : () => transport.verify(),
    close: () => transport.close(),
  };
}
export type Mailer = ReturnType<typeof createMailer>;

// The same Message-ID on every copy of one invitation lets mail systems drop a duplicate should the
// worker die between the server's acceptance and the ledger write; an update or a cancellation (a later
// sequence) is a different mail, with an id of its own.
const messageIdOf = (taskId: string, sequence: number, recipient: string, domain: string) =>
  `<${taskId}${sequence ? `.${sequence}` : ""}.${new Bun.CryptoHasher("sha256").update(recipient).digest("hex").slice(0, 20)}@${domain}>`;

const PARALLEL_SENDS = 4;

/** One invitation of a task (its first, or an update or cancellation: its `sequence`) and who gets it. */
export type Invitation = {
  taskId: string;
  sequence: number;
  attendees: readonly string[];
  subject: string;
  text: string;
  ics: string;
  method?: InviteMethod;
};

/**
 * Mails the invitation to every attendee who has not been sent this sequence of it yet, and records each
 * accepted mail in the `task_mails` ledger at once; a later attempt mails only the rest.
 * Rejects with the first MailError once the sends under way have finished.
 */
export async function mailInvitations(db: Sql, mailer: Mailer, invitation: Invitation, log: Logger): Promise<number> {
  const { taskId, sequence } = invitation;
  const done = new Set(
    (await db<{ recipient: string }[]>`select recipient from task_mails where task_id = ${taskId} and sequence = ${sequence}`).map(
      (r) => r.recipient,
    ),
  );
  const pending = invitation.attendees.filter((email) => !done.has(email));
  const domain = mailer.organizer.email.split("@")[1] ?? "w2meet";
  let failure: unknown;
  let sent = 0;
  const sendNext = async (): Promise<void> => {
    for (let to = pending.shift(); to !== undefined && failure === undefined; to = pending.shift()) {
      const messageId = messageIdOf(taskId, sequence, to, domain);
      try {
        const { subject, text, ics, method } = invitation;
        const { path } = await mailer.send({ to, subject, text, ics, method, messageId });
        if (path) log.info("invitation written to file", { to, path });
      } catch (error) {
        failure ??= error;
        if (error instanceof MailError) log.warn("mail not accepted", { to, ...error.detail });
        return;
      }
      await db`
        insert into task_mails (task_id, sequence, recipient, message_id) values (${taskId}, ${sequence}, ${to}, ${messageId})
        on conflict do nothing`;
      sent += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, pending.length) }, sendNext));
  log.info("invitations mailed", { sent, already_sent: done.size, sequence, ...(failure ? { failed: true } : {}) });
  if (failure !== undefined) throw failure;
  return sent;
}
