-- Bookings that follow changes. A task may name people who must attend (`required`, also in `users`) and
-- the fewest attendees (`min_attendees`; everyone if null). Once booked, a change of an attendee's
-- availability that the booked time no longer fits moves the booking (rebooked) or cancels it
-- (cancelled): each time `sequence` grows by one, the invitation is made again with the same UID, and
-- `change_reason`/`changed_at` say why and when. `mails_owed` is set with the new state when it is to be
-- mailed and cleared once every recipient has it, so a crash in between still mails.
alter table tasks
  drop constraint tasks_status_check,
  add constraint tasks_status_check
    check (status in ('queued', 'running', 'done', 'no_slot', 'failed', 'rebooked', 'cancelled')),
  add column required      text[],
  add column min_attendees integer check (min_attendees between 2 and 100),
  add column sequence      integer not null default 0,
  add column change_reason text,
  add column changed_at    timestamptz,
  add column mails_owed    boolean not null default false;

-- A person's tasks, found when they change.
create index tasks_users on tasks using gin (users);

-- One invitation per recipient per sequence: an update or a cancellation is a mail of its own.
alter table task_mails
  add column sequence integer not null default 0,
  drop constraint task_mails_pkey,
  add primary key (task_id, sequence, recipient);

-- The attempts at re-checking one person change (by the person's version), while it is being retried.
create table person_rechecks (
  email    text    not null,
  version  bigint  not null,
  attempts integer not null,
  primary key (email, version)
);
