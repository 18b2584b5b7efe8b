-- Named staff accounts for the browser workspace, their sessions, and failed sign-ins.
-- Passwords are stored only as argon2 hashes and session ids only as sha256 hashes, so a copy
-- of the database lets nobody sign in. Failed sign-ins are kept here (not in process memory)
-- so the slow-down holds across every API process behind a proxy.

create table staff_users (
    id             bigint generated always as identity primary key,
    name           text not null check (length(trim(name)) between 1 and 100),
    role           text not null check (role in ('viewer', 'editor', 'admin')),
    password_hash  text not null,               -- argon2id, with its own salt and parameters
    created_at     timestamptz not null default now(),
    disabled_at    timestamptz,
    last_sign_in_at timestamptz
);
create unique index staff_users_name_idx on staff_users (lower(name));

create table staff_sessions (
    id            bigint generated always as identity primary key,
    user_id       bigint not null references staff_users on delete cascade,
    token_hash    bytea not null unique,        -- sha256 of the cookie value; never the value
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    last_seen_at  timestamptz not null default now(),
    revoked_at    timestamptz,
    peer          text,
    flash         text                          -- one message shown on the next page, then cleared
);
create index staff_sessions_user_idx on staff_sessions (user_id);

create table sign_in_failures (
    id       bigint generated always as identity primary key,
    account  text not null,                     -- the name as typed, lower-cased
    peer     text not null,
    at       timestamptz not null default now()
);
create index sign_in_failures_account_idx on sign_in_failures (account, at);
create index sign_in_failures_peer_idx on sign_in_failures (peer, at);
