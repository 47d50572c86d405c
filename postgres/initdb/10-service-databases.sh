#!/bin/sh
# Each service's own role and database, made once by the postgres image on a fresh volume (it runs the
# files of /docker-entrypoint-initdb.d as the superuser, before the server listens on TCP). Safe to run
# again by hand: what exists is kept, and the roles get the passwords given now.
#   USERS_DATABASE, USERS_DATABASE_PASSWORD     the users service's role and database (one name for both)
#   WORKER_DATABASE, WORKER_DATABASE_PASSWORD   the worker's
# Each role can log in and nothing more (no superuser, CREATEDB or CREATEROLE); it owns its database and
# its public schema, so it migrates them itself; CONNECT and TEMPORARY are revoked from PUBLIC, so no
# other role but a superuser can connect to it.
set -eu

provision() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v name="$1" -v password="$2" <<'SQL'
select format('create role %I', :'name') where not exists (select from pg_roles where rolname = :'name') \gexec
select format('alter role %I login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password %L', :'name', :'password') \gexec
select format('create database %I owner %I', :'name', :'name') where not exists (select from pg_database where datname = :'name') \gexec
select format('revoke connect, temporary on database %I from public', :'name') \gexec
\connect :name
select format('alter schema public owner to %I', :'name') \gexec
revoke create on schema public from public;
SQL
}

provision "${USERS_DATABASE:-w2meet_users}" "${USERS_DATABASE_PASSWORD:?USERS_DATABASE_PASSWORD must be set}"
provision "${WORKER_DATABASE:-w2meet_worker}" "${WORKER_DATABASE_PASSWORD:?WORKER_DATABASE_PASSWORD must be set}"
