-- Who asked for a task (the bearer token's email; null for a task without a token, and for older rows),
-- and, for a task with notify, the attendees not mailed because their address is not verified. That
-- decision is stored before the first invitation goes out, so every attempt mails the same people.
alter table tasks
  add column organizer    text,
  add column not_notified text[];

-- Verification codes to mail, on behalf of the users service. A mail and its outbox row are written in
-- one transaction, so an accepted mail always has a message on its way; the code is erased once the
-- mail is sent or has expired.
create table verification_mails (
  id              uuid        primary key,
  status          text        not null default 'queued'
                  check (status in ('queued', 'sending', 'sent', 'expired', 'failed')),
  email           text        not null,
  code            text,
  expires_at      timestamptz not null,
  idempotency_key text        not null unique,
  -- What the key was first used for: the same key with another request is refused, not answered wrongly.
  request_hash    text        not null,
  case_id         text        not null,
  attempts        integer     not null default 0,
  message_id      text,
  error           text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  sent_at         timestamptz
);

-- The outbox carries both kinds of message: a task's or a verification mail's, never both.
alter table outbox
  alter column task_id drop not null,
  add column verification_id uuid references verification_mails (id) on delete cascade,
  add constraint outbox_one_subject check ((task_id is null) <> (verification_id is null));
