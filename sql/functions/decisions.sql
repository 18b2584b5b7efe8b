-- Staff decisions on top of the scraped results (table race_decisions, sql/0080): which are in
-- force, and the one incumbency rule. What a call, an exclusion or a certification does to an
-- outcome is decided in figure_candidacies (outcomes.sql), next to the rules it overrides.

-- Is a candidacy the incumbent? Staff's decision first (it may also say "not incumbent", to
-- correct a feed), then what the endorsement import said (endorsements.incumbent: any live
-- endorsement of the candidacy saying yes makes it yes; all of them saying no makes it no),
-- then the feed's own marker. Used by the figures and by the night page's cards alike.
create or replace function candidacy_incumbent(p_candidacy bigint, p_feed boolean)
returns boolean
language sql stable as $$
    select coalesce(
        (select d.incumbent
           from race_decisions d
          where d.candidacy_id = p_candidacy and d.kind = 'incumbent'
            and d.withdrawn_at is null),
        (select bool_or(en.incumbent)
           from endorsements en
          where en.candidacy_id = p_candidacy and en.deleted_at is null
            and en.incumbent is not null),
        p_feed,
        false)
$$;

-- The decisions in force for some stages, with the race and candidate they name, oldest
-- first: what the stats answer lists (and so what a published figure stores).
create or replace function decisions_in_force(p_stages bigint[])
returns table (
    id bigint, kind text, stage text, contest_id bigint, office text, district text,
    contest_party text, candidacy_id bigint, candidate text, incumbent boolean, reason text,
    decided_by text, decided_at timestamptz
)
language sql stable as $$
    select d.id, d.kind, s.kind, d.contest_id, c.office, c.district, c.party, d.candidacy_id,
           cd.ballot_name, d.incumbent, d.reason, d.decided_by, d.decided_at
      from race_decisions d
      join stages s on s.id = d.stage_id
      left join contests c on c.id = d.contest_id
      left join candidacies cd on cd.id = d.candidacy_id
     where d.stage_id = any(p_stages) and d.withdrawn_at is null
     order by d.decided_at, d.id
$$;

-- A decision moves the night page's cards of the races it names (a certification: every race
-- of its stage), like a change of results does (night_note, sql/0050).
create or replace function night_decisions_changed() returns trigger
language plpgsql as $$
begin
    perform night_note(array(select c.id
                               from changed d
                               join contests c on c.id = d.contest_id
                                   or (d.contest_id is null and c.stage_id = d.stage_id)));
    return null;
end
$$;

create or replace trigger night_decisions_inserted after insert on race_decisions
    referencing new table as changed
    for each statement execute function night_decisions_changed();
create or replace trigger night_decisions_updated after update on race_decisions
    referencing new table as changed
    for each statement execute function night_decisions_changed();
