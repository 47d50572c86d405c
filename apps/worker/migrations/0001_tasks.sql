-- Scheduling tasks: the source of truth for their status. A task and its outbox row are written in
-- one transaction, so an accepted task always has a message on its way, whatever RabbitMQ is doing.
create table tasks (
  id              uuid        primary key,
  status          text        not null default 'queued'
                  check (status in ('queued', 'running', 'done', 'no_slot', 'failed')),
  users           text[]      not null,
  preference      text        check (preference in ('first', 'last', 'random')),
  duration        integer     not null check (duration between 60 and 1440 and duration % 60 = 0),
  title           text        not null,
  notify          boolean     not null,
  idempotency_key text        unique,
  -- What the key was first used for: the same key with another request is refused, not answered wrongly.
  request_hash    text        not null,
  case_id         text        not null,
  attempts        integer     not null default 0,
  suggestion      jsonb,
  -- The iCalendar text, made once when the suggestion is stored so that every copy of it is identical.
  invite          text,
  error           text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

-- Messages to publish. The relay claims unsent rows with FOR UPDATE SKIP LOCKED, publishes them with
-- publisher confirms and only then sets sent_at.
create table outbox (
  id         bigint      generated always as identity primary key,
  task_id    uuid        not null references tasks (id) on delete cascade,
  case_id    text        not null,
  message    jsonb       not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz
);

create index outbox_unsent on outbox (id) where sent_at is null;

-- Wakes the relays at commit; they also poll, so a missed notification only delays a message.
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('worker_outbox', '');
  return null;
end
$$;

create trigger outbox_inserted after insert on outbox for each statement execute function outbox_notify();

-- Every invitation the SMTP server accepted: a redelivered task mails only the attendees not in here.
create table task_mails (
  task_id    uuid        not null references tasks (id) on delete cascade,
  recipient  text        not null,
  message_id text        not null,
  sent_at    timestamptz not null default now(),
  primary key (task_id, recipient)
);
