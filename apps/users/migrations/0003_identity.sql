-- Identity: a password makes a profile protected (only its owner, with a token, may change or delete it),
-- and an address is verified once a mailed code comes back. Existing rows stay open and unverified.
alter table users
  add column password_hash  text,
  add column email_verified boolean not null default false;

-- The one pending verification code of an address: only its keyed hash is kept, never the code.
create table email_verifications (
  email      text        primary key check (email = lower(email)),
  id         uuid        not null,
  code_hash  text        not null,
  expires_at timestamptz not null,
  tries      integer     not null default 0,
  created_at timestamptz not null default now()
);
