-- The night page follows contests (night_note, sql/0050): a statement that writes rows
-- carrying a contest_id moves those contests' cards. One function for every such table; each
-- trigger hands it the statement's new rows as `changed`.

create or replace function night_contests_changed() returns trigger
language plpgsql as $$
begin
    perform night_note(array(select contest_id from changed));
    return null;
end
$$;

-- a contest's count of precincts, status or source moved
create or replace trigger night_contest_status_inserted after insert on contest_status
    referencing new table as changed
    for each statement execute function night_contests_changed();
create or replace trigger night_contest_status_updated after update on contest_status
    referencing new table as changed
    for each statement execute function night_contests_changed();
-- a candidate's flags in a contest moved (winner, incumbent, write-in)
create or replace trigger night_candidacies_updated after update on candidacies
    referencing new table as changed
    for each statement execute function night_contests_changed();
-- a source's totals for a contest moved: whether its sources agree may have changed
create or replace trigger night_source_totals_inserted after insert on source_contest_totals
    referencing new table as changed
    for each statement execute function night_contests_changed();
create or replace trigger night_source_totals_updated after update on source_contest_totals
    referencing new table as changed
    for each statement execute function night_contests_changed();
