-- name: token_exists
-- Is a token name taken (revoked tokens keep their names).
select 1 from api_tokens where name = :name;

-- name: insert_token
-- Store a new token's hash; returns its id.
insert into api_tokens (name, role, token_hash)
values (:name, :role, :token_hash)
returning id;

-- name: authenticate
-- The principal of a live token. last_used_at is refreshed at most once a minute, so a busy
-- client's reads do not each write a row version.
with live as (
    select id, name, role, last_used_at
      from api_tokens
     where token_hash = :token_hash and revoked_at is null
), touched as (
    update api_tokens t
       set last_used_at = now()
      from live
     where t.id = live.id
       and (live.last_used_at is null or live.last_used_at < now() - interval '1 minute')
)
select name, role from live;

-- name: insert_audit
-- One audit row, written in the caller's transaction.
insert into audit_log (actor, action, entity, entity_id, before, after)
values (:actor, :action, :entity, :entity_id, :before::jsonb, :after::jsonb);
