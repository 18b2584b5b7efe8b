-- results.candidacy_id points at a candidacy and results.snapshot_id at a snapshot: checked per
-- statement, not per row (why: the comments in sql/0090_results_candidacy_check.sql and
-- sql/0160_results_snapshot_check.sql).
--
-- The distinct ids first: a load names 9,408 candidacies in 200,000 rows, and an anti-join of
-- the rows themselves under `limit 1` was planned as one index probe per row (EXPLAIN ANALYZE of
-- a 200,000-row insert: 94-132 ms in this trigger, against 17-38 ms for the distinct ids).
drop trigger if exists results_candidacy_exists on results;
drop function if exists results_candidacy_exists();

create or replace function results_parents_exist() returns trigger
language plpgsql as $$
declare
    missing bigint;
begin
    -- an UPDATE keeps each row's candidacy (results_candidacy_frozen below), and a candidacy's
    -- rows go with it: only an INSERT can name one that is not there. (A re-poll's UPDATE of
    -- 10,000 rows spent 7-17 ms here looking up their 4,086 candidacies again.)
    if tg_op = 'INSERT' then
        select n.candidacy_id into missing
          from (select distinct candidacy_id from new_rows) n
         where not exists (select 1 from candidacies c where c.id = n.candidacy_id)
         limit 1;
        if found then
            raise foreign_key_violation using
                message = format('results: candidacy_id %s is not a candidacy', missing),
                table = 'results', column = 'candidacy_id';
        end if;
    end if;
    select n.snapshot_id into missing
      from (select distinct snapshot_id from new_rows where snapshot_id is not null) n
     where not exists (select 1 from snapshots s where s.id = n.snapshot_id)
     limit 1;
    if found then
        raise foreign_key_violation using
            message = format('results: snapshot_id %s is not a snapshot', missing),
            table = 'results', column = 'snapshot_id';
    end if;
    return null;
end
$$;

-- one trigger per event: a trigger with transition tables fires for one event only (an UPDATE
-- may set snapshot_id; candidacy_id it may not change, see below)
create or replace trigger results_parents_exist
    after insert on results referencing new table as new_rows
    for each statement execute function results_parents_exist();

create or replace trigger results_parents_exist_on_update
    after update on results referencing new table as new_rows
    for each statement execute function results_parents_exist();

-- Deleting snapshots (directly or by the cascade from sources) sets their results rows'
-- snapshot_id to null, as the foreign key's `on delete set null` did.
create or replace function results_forget_snapshots() returns trigger
language plpgsql as $$
begin
    update results r set snapshot_id = null from gone g where r.snapshot_id = g.id;
    return null;
end
$$;

create or replace trigger snapshots_delete_results
    after delete on snapshots referencing old table as gone
    for each statement execute function results_forget_snapshots();

-- An UPDATE never moves a row to another candidacy: a row belongs to the candidacy it was
-- loaded for (a transition table cannot watch one column, so the column is frozen instead).
create or replace function results_candidacy_frozen() returns trigger
language plpgsql as $$
begin
    if new.candidacy_id is distinct from old.candidacy_id then
        raise exception 'results: candidacy_id cannot change (delete the row and load it again)';
    end if;
    return new;
end
$$;

create or replace trigger results_candidacy_frozen
    before update of candidacy_id on results
    for each row execute function results_candidacy_frozen();

-- Deleting candidacies (directly or by the cascade from contests and elections) deletes their
-- results rows, as the foreign key's `on delete cascade` did.
create or replace function results_follow_candidacies() returns trigger
language plpgsql as $$
begin
    delete from results r using gone g where r.candidacy_id = g.id;
    return null;
end
$$;

create or replace trigger candidacies_delete_results
    after delete on candidacies referencing old table as gone
    for each statement execute function results_follow_candidacies();

-- candidacies.contest_id and .candidate_id point at a contest and a candidate: checked per
-- statement, not per row (why: the comment in sql/0120_candidacies_parent_check.sql).
create or replace function candidacies_parents_exist() returns trigger
language plpgsql as $$
declare
    missing bigint;
begin
    select n.contest_id into missing
      from (select distinct contest_id from new_rows) n
     where not exists (select 1 from contests c where c.id = n.contest_id)
     limit 1;
    if found then
        raise foreign_key_violation using
            message = format('candidacies: contest_id %s is not a contest', missing),
            table = 'candidacies', column = 'contest_id';
    end if;
    select n.candidate_id into missing
      from (select distinct candidate_id from new_rows) n
     where not exists (select 1 from candidates c where c.id = n.candidate_id)
     limit 1;
    if found then
        raise foreign_key_violation using
            message = format('candidacies: candidate_id %s is not a candidate', missing),
            table = 'candidacies', column = 'candidate_id';
    end if;
    return null;
end
$$;

-- one trigger per event: a trigger with transition tables fires for one event only
create or replace trigger candidacies_parents_exist
    after insert on candidacies referencing new table as new_rows
    for each statement execute function candidacies_parents_exist();

create or replace trigger candidacies_parents_exist_on_update
    after update on candidacies referencing new table as new_rows
    for each statement execute function candidacies_parents_exist();

-- Deleting contests (directly or by the cascade from stages and elections) deletes their
-- candidacies, as the foreign key's `on delete cascade` did; their results follow
-- (candidacies_delete_results above).
create or replace function candidacies_follow_contests() returns trigger
language plpgsql as $$
begin
    delete from candidacies ca using gone g where ca.contest_id = g.id;
    return null;
end
$$;

create or replace trigger contests_delete_candidacies
    after delete on contests referencing old table as gone
    for each statement execute function candidacies_follow_contests();

-- A candidate some candidacy names is not deleted (the foreign key's NO ACTION).
create or replace function candidates_still_named() returns trigger
language plpgsql as $$
declare
    named bigint;
begin
    select g.id into named
      from gone g
     where exists (select 1 from candidacies ca where ca.candidate_id = g.id)
     limit 1;
    if found then
        raise foreign_key_violation using
            message = format('candidates: candidate %s is named by a candidacy', named),
            table = 'candidacies', column = 'candidate_id';
    end if;
    return null;
end
$$;

create or replace trigger candidates_delete_named
    after delete on candidates referencing old table as gone
    for each statement execute function candidates_still_named();
