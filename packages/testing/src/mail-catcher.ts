import { freePort } from "./network.ts";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server for tests (the `smtp-server` package) that parses every mail it accepts.
 * `hold()` makes it keep the answer to each DATA until `release()`, the way a slow server does; a mail
 * whose client hangs up before the answer is not accepted, as with a real mail server.
 */
export async function startMailCatcher(port = freePort()) {
  const mails: ParsedMail[] = [];
  const openSessions = new Set<string>();
  const closedSessions = new Set<string>();
  const waiting: (() => void)[] = [];
  const refused = new Set<string>();
  let holding = false;
  let heldCount = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onConnect(session, callback) {
      openSessions.add(session.id);
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address.toLowerCase())) return callback();
      callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 450 }));
    },
    onData(stream, session, callback) {
      (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        if (holding) {
          heldCount += 1;
          await new Promise<void>((resolve) => waiting.push(resolve));
        }
        if (closedSessions.has(session.id)) return;
        mails.push(await simpleParser(Buffer.concat(chunks)));
        callback();
      })().catch((error: Error) => callback(error));
    },
    onClose(session) {
      openSessions.delete(session.id);
      closedSessions.add(session.id);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    /** The accepted mails addressed to `email`. */
    mailsTo: (email: string) => mails.filter((mail) => addressesOf(mail).includes(email)),
    /** Answers RCPT TO for `email` with a temporary failure (450) until `accept(email)`. */
    refuse: (email: string) => void refused.add(email),
    accept: (email: string) => void refused.delete(email),
    /** Keeps the answers to the next DATA commands until `release()`. */
    hold() {
      holding = true;
    },
    /** SMTP sessions open right now (a closed one counts only once the server has seen it close). */
    connections: () => openSessions.size,
    /** How many DATA answers are being held. */
    held: () => heldCount,
    release() {
      holding = false;
      for (const resolve of waiting.splice(0)) resolve();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type MailCatcher = Awaited<ReturnType<typeof startMailCatcher>>;

const addressesOf = (mail: ParsedMail) =>
  [mail.to ?? []].flat().flatMap((to) => to.value.map((address) => address.address?.toLowerCase() ?? ""));
