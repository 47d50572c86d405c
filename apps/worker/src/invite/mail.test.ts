import { createLogger } from "@w2meet/kit";
import { capturedLogger, closedPortUrl, attendeesOf, eventsOf, startMailCatcher, type MailCatcher } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWorkerDatabase, type WorkerDatabase } from "../../test/database.ts";
import { datedSuggestion } from "../../test/suggestions-stub.ts";
import { buildInvite } from "./ics.ts";
import { createMailer, MailError, mailInvitations, type Mailer } from "./mail.ts";

const log = createLogger({ service: "worker", level: "error" });
const attendees = ["ada@example.com", "grace@example.com", "alan@example.com"];

let db: WorkerDatabase;
let catcher: MailCatcher;
let mailer: Mailer;

beforeAll(async () => {
  db = await createWorkerDatabase();
  catcher = await startMailCatcher();
  mailer = createMailer({ url: catcher.url, from: "W2Meet <invites@w2meet.example>", timeoutMs: 5000 });
});

afterAll(async () => {
  mailer.close();
  await catcher.close();
  await db.drop();
});

async function newInvitation(title: string) {
  const taskId = Bun.randomUUIDv7();
  await db.sql`
    insert into tasks (id, users, duration, title, notify, request_hash, case_id)
    values (${taskId}, ${attendees}, 60, ${title}, true, 'hash', 'case-1')`;
  const ics = buildInvite({
    taskId,
    title,
    attendees,
    suggestion: datedSuggestion("2025-01-13T09:00:00Z", 60, attendees),
    stampedAt: new Date("2025-01-08T09:00:01Z"),
    organizer: mailer.organizer,
  });
  return { taskId, sequence: 0, attendees, subject: title, text: `You are invited to ${title}.`, ics };
}

describe("mailInvitations", () => {
  test("mails each attendee one invitation with the text/calendar; method=REQUEST part attached", async () => {
    const invitation = await newInvitation("Kick-off");
    expect(await mailInvitations(db.sql, mailer, invitation, log)).toBe(3);
    for (const email of attendees) {
      const mails = catcher.mailsTo(email).filter((mail) => mail.subject === "Kick-off");
      expect(mails).toHaveLength(1);
      const calendar = mails[0]!.attachments.find((part) => part.contentType === "text/calendar");
      expect(calendar?.headers.get("content-type")).toMatchObject({ params: { method: "REQUEST" } });
      const events = eventsOf(calendar!.content.toString());
      expect(events).toHaveLength(1);
      expect(attendeesOf(events[0]!)).toEqual(attendees);
      expect(mails[0]!.from?.value[0]?.address).toBe("invites@w2meet.example");
    }
  });

  test("gives every copy of one invitation to one attendee the same Message-ID", async () => {
    const invitation = await newInvitation("Stable ids");
    await mailInvitations(db.sql, mailer, invitation, log);
    await db.sql`delete from task_mails where task_id = ${invitation.taskId}`;
    await mailInvitations(db.sql, mailer, invitation, log);
    const ids = catcher
      .mailsTo("ada@example.com")
      .filter((mail) => mail.subject === "Stable ids")
      .map((mail) => mail.messageId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]!);
    expect(ids[0]).not.toBe(catcher.mailsTo("grace@example.com").find((mail) => mail.subject === "Stable ids")?.messageId);
  });

  test("never mails an attendee the ledger says was already mailed", async () => {
    const invitation = await newInvitation("Twice asked");
    await mailInvitations(db.sql, mailer, invitation, log);
    expect(await mailInvitations(db.sql, mailer, invitation, log)).toBe(0);
    for (const email of attendees) {
      expect(catcher.mailsTo(email).filter((mail) => mail.subject === "Twice asked")).toHaveLength(1);
    }
    const [ledger] = await db.sql`select count(*)::int as n from task_mails where task_id = ${invitation.taskId}`;
    expect(ledger!.n).toBe(3);
  });

  test("keeps the mails accepted before a refusal and later sends only the rest", async () => {
    const invitation = await newInvitation("Partly refused");
    catcher.refuse("grace@example.com");
    try {
      await expect(mailInvitations(db.sql, mailer, invitation, log)).rejects.toBeInstanceOf(MailError);
    } finally {
      catcher.accept("grace@example.com");
    }
    const sentFirst = await db.sql<{ recipient: string }[]>`select recipient from task_mails where task_id = ${invitation.taskId}`;
    expect(sentFirst.map((row) => row.recipient).sort()).toEqual(["ada@example.com", "alan@example.com"]);
    expect(await mailInvitations(db.sql, mailer, invitation, log)).toBe(1);
    for (const email of attendees) {
      expect(catcher.mailsTo(email).filter((mail) => mail.subject === "Partly refused")).toHaveLength(1);
    }
  });

  test("rejects with a MailError that says what failed in words, keeping the details in the log, and records nothing when the SMTP server is unreachable", async () => {
    const invitation = await newInvitation("Nobody home");
    const url = closedPortUrl("smtp");
    const down = createMailer({ url, from: "invites@w2meet.example", timeoutMs: 1000 });
    const { logger: captured, lines } = capturedLogger("worker", "debug");
    try {
      const failure = await mailInvitations(db.sql, down, invitation, captured).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MailError);
      expect((failure as MailError).message).toBe("The mail server could not be reached");
      const logged = lines.find((line) => line.msg === "mail not accepted");
      expect(logged).toMatchObject({ smtp: new URL(url).host, error: expect.stringContaining("ECONNREFUSED") });
    } finally {
      down.close();
    }
    const [ledger] = await db.sql`select count(*)::int as n from task_mails where task_id = ${invitation.taskId}`;
    expect(ledger!.n).toBe(0);
  });
});

describe("a mail folder instead of an SMTP server (SMTP_URL=file:///path)", () => {
  test("writes each attendee's invitation once as an .eml file, logs where, and reports the folder in health", async () => {
    const dir = await mkdtemp(join(tmpdir(), "w2meet-mail-"));
    const folder = createMailer({ url: `file://${dir}`, from: "W2Meet <invites@w2meet.example>", timeoutMs: 1000 });
    const { logger: captured, lines } = capturedLogger("worker", "debug");
    const invitation = await newInvitation("On file");
    expect(await mailInvitations(db.sql, folder, invitation, captured)).toBe(3);
    // A second attempt of the same task writes nothing again.
    expect(await mailInvitations(db.sql, folder, invitation, captured)).toBe(0);

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    for (const email of attendees) {
      const file = files.find((name) => name.startsWith(`${email}-`));
      expect(file).toBeDefined();
      const eml = await Bun.file(join(dir, file!)).text();
      expect(eml).toContain(`To: ${email}`);
      expect(eml).toContain("Subject: On file");
      expect(eml).toContain("text/calendar");
      expect(lines).toContainEqual(expect.objectContaining({ msg: "invitation written to file", to: email, path: join(dir, file!) }));
    }
    expect(await folder.verify()).toBeTruthy();
    folder.close();
  });
});
