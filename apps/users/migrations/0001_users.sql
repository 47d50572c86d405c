-- Every write takes a new version from this sequence; the cache keeps an entry only when it is
-- newer than the one it holds, so a slow reader can never put back a state older than a write.
create sequence user_version_seq;

create table users (
  id             bigint generated always as identity primary key,
  email          text        not null check (email = lower(email)),
  name           text        not null,
  availabilities jsonb       not null,
  preference     text        not null check (preference in ('first', 'last', 'random')),
  version        bigint      not null default nextval('user_version_seq'),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);

create unique index users_email_lower on users (lower(email));
