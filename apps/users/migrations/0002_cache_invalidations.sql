-- Cache updates a write may not have got into Redis: Redis was unreachable, or the process stopped
-- between its commit and the cache write. Each write adds its row in its own transaction and deletes it
-- once Redis holds that state; whatever is left, any replica replays before it trusts its cache again.
create table cache_invalidations (
  email       text        not null,
  version     bigint      not null,
  recorded_at timestamptz not null default now(),
  primary key (email, version)
);
