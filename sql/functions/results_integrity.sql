-- results.candidacy_id points at a candidacy: checked per statement, not per row (why: the
-- comment in sql/0090_results_candidacy_check.sql).

create or replace function results_candidacy_exists() returns trigger
language plpgsql as $$
declare
    missing bigint;
begin
    select n.candidacy_id into missing
      from new_rows n
     where not exists (select 1 from candidacies c where c.id = n.candidacy_id)
     limit 1;
    if found then
        raise foreign_key_violation using
            message = format('results: candidacy_id %s is not a candidacy', missing),
            table = 'results', column = 'candidacy_id';
    end if;
    return null;
end
$$;

create or replace trigger results_candidacy_exists
    after insert on results referencing new table as new_rows
    for each statement execute function results_candidacy_exists();

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
