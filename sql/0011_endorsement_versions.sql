-- Every change to an endorsement is kept: a trigger writes the full row to endorsement_versions
-- on insert, on every update that changes something, and on a (rare, manual) hard delete.
--
-- Triggers, not application code, so that every writer (API, import, the matcher, psql) is
-- covered. A BEFORE ROW trigger bumps `version` and `updated_at` only when a column other than
-- the bookkeeping ones changed, so a no-op UPDATE (a re-import of the same file) writes no
-- version. The history rows are written per statement from transition tables, so a 5,000-row
-- import writes its 5,000 versions in one INSERT ... SELECT.
-- No foreign key to endorsements: history must survive even a hard delete.

create table endorsement_versions (
    endorsement_id  bigint not null,
    version         int not null,
    op              text not null
                    check (op in ('create', 'update', 'rescind', 'match', 'delete', 'restore',
                                  'purge')),
    changed_by      text not null,
    changed_at      timestamptz not null default now(),
    data            jsonb not null,  -- the whole endorsements row as of this version
    primary key (endorsement_id, version)
);

create function endorsement_bump_version() returns trigger
language plpgsql as $$
begin
    -- candidate_key is generated after BEFORE triggers run (null in NEW here): leave it out
    if (to_jsonb(new) - array['version', 'updated_at', 'updated_by', 'candidate_key'])
       is not distinct from
       (to_jsonb(old) - array['version', 'updated_at', 'updated_by', 'candidate_key']) then
        return old;  -- nothing changed: keep the row (and its ETag) exactly as it was
    end if;
    new.version := old.version + 1;
    new.updated_at := now();
    return new;
end
$$;

create trigger endorsements_bump_version
    before update on endorsements
    for each row execute function endorsement_bump_version();

create function endorsement_log_insert() returns trigger
language plpgsql as $$
begin
    insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
    select n.id, n.version, 'create', n.created_by, to_jsonb(n)
      from new_rows n;
    return null;
end
$$;

create function endorsement_log_update() returns trigger
language plpgsql as $$
begin
    insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
    select n.id, n.version,
           case
               when o.deleted_at is null and n.deleted_at is not null then 'delete'
               when o.deleted_at is not null and n.deleted_at is null then 'restore'
               when o.rescinded_on is null and n.rescinded_on is not null then 'rescind'
               when (to_jsonb(n) - array['candidacy_id', 'match_method', 'version',
                                         'updated_at', 'updated_by'])
                  = (to_jsonb(o) - array['candidacy_id', 'match_method', 'version',
                                         'updated_at', 'updated_by']) then 'match'
               else 'update'
           end,
           n.updated_by, to_jsonb(n)
      from new_rows n
      join old_rows o on o.id = n.id
     where n.version <> o.version;
    return null;
end
$$;

create function endorsement_log_delete() returns trigger
language plpgsql as $$
begin
    insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
    select o.id, o.version + 1, 'purge', current_user, to_jsonb(o)
      from old_rows o;
    return null;
end
$$;

create trigger endorsements_log_insert
    after insert on endorsements
    referencing new table as new_rows
    for each statement execute function endorsement_log_insert();

create trigger endorsements_log_update
    after update on endorsements
    referencing old table as old_rows new table as new_rows
    for each statement execute function endorsement_log_update();

create trigger endorsements_log_delete
    after delete on endorsements
    referencing old table as old_rows
    for each statement execute function endorsement_log_delete();
