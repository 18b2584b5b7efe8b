-- Administration: endorsing bodies, API tokens and the audit log.

-- name: list_bodies
-- Every body with its parent's name, the root it counts as and its live endorsements.
select b.id, b.name, b.kind, p.name as parent, rb.name as counts_as,
       (select count(*) from endorsements e
         where e.body_id = b.id and e.deleted_at is null) as endorsements
  from bodies b
  left join bodies p      on p.id = b.parent_id
  left join body_roots r  on r.body_id = b.id
  left join bodies rb     on rb.id = r.root_id
 where (:id::bigint is null or b.id = :id)
 order by b.name;

-- name: body_by_name
-- A body by name, any case.
select id, name, kind, parent_id from bodies where lower(name) = lower(:name);

-- name: body_by_id
-- A body by id, locked for an edit.
select id, name, kind, parent_id from bodies where id = :id for update;

-- name: insert_body
-- Create a body; null when a body of that name (any case) exists.
insert into bodies (name, kind, parent_id)
values (:name, :kind, :parent_id)
    on conflict (lower(name)) do nothing
returning id;

-- name: update_body
-- Rename, re-kind or re-parent a body.
update bodies set name = :name, kind = :kind, parent_id = :parent_id where id = :id;

-- name: body_children_kinds
-- The kinds of a body's direct children (a body must rank above each of them).
select distinct kind from bodies where parent_id = :id;

-- name: body_in_use
-- Why a body cannot be deleted: its endorsements (deleted ones keep history) and children.
select (select count(*) from endorsements where body_id = :id) as endorsements,
       (select count(*) from bodies where parent_id = :id) as children;

-- name: delete_body
-- Remove an unused body.
delete from bodies where id = :id;

-- name: list_tokens
-- Every token without its hash, newest first.
select name, role, created_at, last_used_at, revoked_at
  from api_tokens
 order by created_at desc, name;

-- name: token_by_name
-- A token's state by name, locked for revocation.
select id, name, role, revoked_at from api_tokens where name = :name for update;

-- name: other_active_admins
-- How many admin tokens would still work if this one were revoked.
select count(*) from api_tokens
 where role = 'admin' and revoked_at is null and name <> :name;

-- name: revoke_token
-- Revoke a token: it stops working at once.
update api_tokens set revoked_at = now() where id = :id;

-- name: list_audit
-- One page of the audit log, newest first, with the total matching the filters.
with filtered as (
    select *
      from audit_log
     where (:entity::text is null or entity = :entity)
       and (:entity_id::text is null or entity_id = :entity_id)
       and (:actor::text is null or actor = :actor)
       and (:action::text is null or action = :action)
)
select (select count(*) from filtered) as total,
       coalesce((select jsonb_agg(to_jsonb(p) order by p.id desc)
                   from (select * from filtered order by id desc limit :limit offset :offset) p),
                '[]'::jsonb) as items;
