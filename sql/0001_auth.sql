-- Baseline (the migrations were squashed before anything was deployed; see README).
-- Who may write (API tokens, stored only as hashes) and what they wrote (the audit log).
-- Every write path in the product records an audit row; nothing here is ever updated in place
-- except a token's last use and revocation.

create table api_tokens (
    id            bigint generated always as identity primary key,
    name          text not null unique check (length(trim(name)) > 0),
    role          text not null check (role in ('viewer', 'editor', 'admin')),
    token_hash    bytea not null unique,  -- sha256 of the token; the token itself is never stored
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

create table audit_log (
    id         bigint generated always as identity primary key,
    at         timestamptz not null default now(),
    actor      text not null,              -- token name, or 'cli:<user>' for local commands
    action     text not null,              -- e.g. 'endorsement.update'
    entity     text not null,              -- table or kind of thing changed
    entity_id  text,
    before     jsonb,
    after      jsonb
);
create index audit_log_entity_idx on audit_log (entity, entity_id);
create index audit_log_at_idx on audit_log (at desc);
