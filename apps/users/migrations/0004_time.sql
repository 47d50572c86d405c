-- Real time: each person's weekly hours are in their own time zone, hours they can make but would rather
-- not are kept apart ("if needed"), and a dated exception replaces the weekly pattern on one local date.
-- Weeks and days are stored in their answered form; if-needed time never repeats available time.
alter table users
  add column time_zone text  not null default 'UTC',
  add column if_needed jsonb not null default '{}';

create table user_dates (
  user_id   bigint not null references users (id) on delete cascade,
  date      date   not null,
  available jsonb  not null,
  if_needed jsonb  not null,
  primary key (user_id, date)
);
