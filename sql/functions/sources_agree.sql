-- Do a contest's sources agree? (table source_contest_totals, sql/0081). A contest is disputed
-- when two sources that carry it give different candidate totals; the figures follow the most
-- final one (then the official feed before a community file: endorse.results.status_guard),
-- and the flag rides along with the race everywhere it is shown (figure_candidacies).

create or replace function contest_disputed(p_contest bigint) returns boolean
language sql stable as $$
    select exists (select 1
                     from source_contest_totals a
                     join source_contest_totals b
                       on b.contest_id = a.contest_id and b.source_id > a.source_id
                    where a.contest_id = p_contest and a.totals <> b.totals)
$$;

-- A source's totals changing moves the night page's card of that race (night_note, sql/0050).
create or replace function night_source_totals_changed() returns trigger
language plpgsql as $$
begin
    perform night_note(array(select contest_id from changed));
    return null;
end
$$;

create or replace trigger night_source_totals_inserted after insert on source_contest_totals
    referencing new table as changed
    for each statement execute function night_source_totals_changed();
create or replace trigger night_source_totals_updated after update on source_contest_totals
    referencing new table as changed
    for each statement execute function night_source_totals_changed();
