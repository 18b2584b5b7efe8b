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

-- A source's totals moving moves the race's night card: trigger in night.sql.
