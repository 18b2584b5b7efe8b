-- Endorsements as staff read them, and the triggers that keep every version of one
-- (tables bodies, endorsements and endorsement_versions: sql/0004).

-- The root each body counts as: follow parent links up to a body with no parent.
create or replace view body_roots as
with recursive up (body_id, ancestor_id, parent_id, depth) as (
    select id, id, parent_id, 0 from bodies
    union all
    select up.body_id, b.id, b.parent_id, up.depth + 1
      from up
      join bodies b on b.id = up.parent_id
     where up.depth < 16
)
select body_id, ancestor_id as root_id
  from up
 where parent_id is null;

-- Endorsements as staff read them: election slug, stage kind and day, the body's name and the
-- root body it counts as. Reads and exports select from here so the joins are written once.
-- The endorsement columns are listed, not e.*, so the view reads the same on a fresh database
-- and on one a later migration added a column to (a new column is appended at the end).
-- Dropped first: create or replace cannot rename a view's column (sql/0110 renamed the typed
-- name to `candidate`), and nothing in the database reads this view.
drop view if exists endorsement_details;
create or replace view endorsement_details as
select e.id, e.version, e.stage_id, e.body_id, e.office, e.district, e.candidate, e.party,
       e.candidacy_id, e.match_method, e.endorsed_on, e.rescinded_on, e.rescind_reason,
       e.late_ok, e.notes, e.created_by, e.updated_by, e.created_at, e.updated_at,
       e.deleted_at, e.office_typed, e.candidate_key,
       el.slug        as election,
       el.election_date,
       s.kind         as stage,
       s.election_day,
       b.name         as endorsed_by,
       rb.name        as counts_as,
       e.incumbent    -- sql/0080: what the import's incumbent column said (null: nothing)
  from endorsements e
  join stages s     on s.id = e.stage_id
  join elections el on el.id = s.election_id
  join bodies b     on b.id = e.body_id
  left join body_roots r on r.body_id = b.id
  left join bodies rb    on rb.id = r.root_id;

-- Every change to an endorsement is kept: triggers, not application code, so that every writer
-- (API, import, the matcher, psql) is covered. A BEFORE ROW trigger bumps `version` and
-- `updated_at` only when a column other than the bookkeeping ones changed, so a no-op UPDATE
-- (a re-import of the same file) writes no version. Inserts are logged per statement from the
-- transition table, so a 5,000-row import writes its 5,000 versions in one INSERT ... SELECT.
-- Updates are logged per row, fired only when the version was bumped: joining a statement's
-- old and new transition tables (they have no statistics) planned a nested loop that spent
-- 2.8 s on a 2,500-row import update; per row it takes about 70 ms.

create or replace function endorsement_bump_version() returns trigger
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

create or replace function endorsement_log_insert() returns trigger
language plpgsql as $$
begin
    insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
    select n.id, n.version, 'create', n.created_by, to_jsonb(n)
      from new_rows n;
    return null;
end
$$;

create or replace function endorsement_log_update() returns trigger
language plpgsql as $$
begin
    insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
    values (new.id, new.version,
            case
                when old.deleted_at is null and new.deleted_at is not null then 'delete'
                when old.deleted_at is not null and new.deleted_at is null then 'restore'
                when old.rescinded_on is null and new.rescinded_on is not null then 'rescind'
                when (to_jsonb(new) - array['candidacy_id', 'match_method', 'version',
                                            'updated_at', 'updated_by'])
                   = (to_jsonb(old) - array['candidacy_id', 'match_method', 'version',
                                            'updated_at', 'updated_by']) then 'match'
                else 'update'
            end,
            new.updated_by, to_jsonb(new));
    return null;
end
$$;

create or replace function endorsement_log_delete() returns trigger
language plpgsql as $$
begin
    insert into endorsement_versions (endorsement_id, version, op, changed_by, data)
    select o.id, o.version + 1, 'purge', current_user, to_jsonb(o)
      from old_rows o;
    return null;
end
$$;

create or replace trigger endorsements_bump_version
    before update on endorsements
    for each row execute function endorsement_bump_version();

create or replace trigger endorsements_log_insert
    after insert on endorsements
    referencing new table as new_rows
    for each statement execute function endorsement_log_insert();

create or replace trigger endorsements_log_update
    after update on endorsements
    for each row
    when (old.version is distinct from new.version)
    execute function endorsement_log_update();

create or replace trigger endorsements_log_delete
    after delete on endorsements
    referencing old table as old_rows
    for each statement execute function endorsement_log_delete();
