-- Write update history per row instead of per statement (replaces 0011's update trigger).
--
-- 0011 joined the statement's old and new transition tables on id; transition tables have no
-- statistics, so PostgreSQL planned a nested loop and a 2,500-row import update spent 2.8 s
-- in that join. A row-level AFTER UPDATE trigger, fired only when the BEFORE trigger bumped
-- the version, does the same work in linear time (about 70 ms for those 2,500 rows).

drop trigger endorsements_log_update on endorsements;

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

create trigger endorsements_log_update
    after update on endorsements
    for each row
    when (old.version is distinct from new.version)
    execute function endorsement_log_update();
