-- Events for the other services, published through a transactional outbox: a write that changes when a
-- person can meet (their week, if-needed week, time zone or a dated exception) or deletes them adds a
-- `person.changed` row in its own transaction; the relay publishes unsent rows to RabbitMQ with
-- publisher confirms and only then sets sent_at. Named apart from the worker's `outbox`: by default
-- both services share one database.
create table users_outbox (
  id         bigint      generated always as identity primary key,
  email      text        not null,
  version    bigint      not null,
  case_id    text        not null,
  message    jsonb       not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz
);

create index users_outbox_unsent on users_outbox (id) where sent_at is null;

-- The rows the relay may publish. A row waits while the write's cache update is unsettled (see
-- cache_invalidations), so whoever acts on the event reads the new state and not the entry Redis held
-- before; once that has lasted 10 s, Redis missed the write and every replica has been told to stop
-- serving that person from it (its notice, or the 5 s sweep), so the row goes anyway.
create view users_outbox_ready as
  select * from users_outbox o
  where not exists (
    select 1 from cache_invalidations i
    where i.email = o.email and i.version <= o.version and i.recorded_at > now() - interval '10 seconds'
  );

-- Wakes the relays at commit, and again when a write's cache update settles; they also poll, so a missed
-- notification only delays an event.
create function users_outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('users_outbox', '');
  return null;
end
$$;

create trigger users_outbox_inserted after insert on users_outbox
  for each statement execute function users_outbox_notify();
create trigger cache_invalidations_settled after delete on cache_invalidations
  for each statement execute function users_outbox_notify();
