-- The outcome of each endorsement for its stage, and the race table behind every rate.
--
-- figure_endorsements(stages)  one row per endorsement that counts for its stage, with the
--                              outcome of the candidacy it is matched to (outcomes.sql), or
--                              RESCINDED / UNMATCHED; the matched race's columns ride along.
--                              Only the contests someone endorsed in are decided: a national
--                              night has far more of the others.
-- endorsement_outcomes         the same for every stage (a view).
-- figure_races(stages)         one row per endorsed candidacy: however many bodies endorsed it,
--                              it is one row and counts once (DESIGN: "five locals, one win").
--                              Unmatched endorsements are one row each; a candidacy whose every
--                              endorsement was rescinded is one RESCINDED row.
--
-- Which endorsements count for a stage (DESIGN, "Endorsement"):
-- * not soft-deleted (deleted_at is null);
-- * endorsed_on before the stage's election day; late_ok rows (staff accepted a date on or
--   after the day) are kept in the registry but never counted -- a win cannot be claimed for
--   an endorsement made once the votes were in;
-- * rescinded_on on or before election day -> RESCINDED, listed but not counted; a rescission
--   after the day does not rewrite history.

-- The return types grew (staff decisions, sql/0080): drop and re-create what reads them here.
drop function if exists figure_endorsements(bigint[]) cascade;
drop function if exists figure_races(bigint[]) cascade;

create or replace function figure_endorsements(p_stages bigint[])
returns table (
    endorsement_id bigint, stage_id bigint, stage_kind text, body_id bigint, root_id bigint,
    root_name text, candidate text, matched_id bigint, office text, level text,
    district text, contest_id bigint, contest_party text, seats int, ballot_name text,
    parties text[], incumbent boolean, votes bigint, votes_cast bigint, percent numeric,
    margin bigint, close boolean, precincts_reporting int, precincts_total int,
    call_status text, uncontested boolean, as_of timestamptz, snapshot_id bigint,
    outcome text, reason text, tally text, called_by_staff boolean, certified_by_staff boolean,
    excluded_reason text, disputed boolean
)
language sql stable as $$
with live as materialized (
    select en.*, s.kind, s.election_day
      from endorsements en
      join stages s on s.id = en.stage_id
     where en.stage_id = any(p_stages)
       and en.deleted_at is null
       and en.endorsed_on < s.election_day   -- made before the stage's day
       and not en.late_ok                    -- accepted late: kept, never counted
),
fc as materialized (
    select *
      from figure_candidacies(p_stages,
                              array(select distinct cd.contest_id
                                      from live
                                      join candidacies cd on cd.id = live.candidacy_id))
)
select l.id, l.stage_id, l.kind, l.body_id, br.root_id, rb.name, l.candidate,
       fc.candidacy_id, coalesce(fc.office, l.office), fc.level, coalesce(fc.district, l.district),
       fc.contest_id, fc.contest_party, fc.seats, fc.ballot_name, fc.parties, fc.incumbent,
       fc.votes, fc.votes_cast, fc.percent, fc.margin, fc.close, fc.precincts_reporting,
       fc.precincts_total, fc.call_status, fc.uncontested, fc.as_of, fc.snapshot_id,
       case when l.rescinded_on <= l.election_day then 'RESCINDED'
            when fc.candidacy_id is null then 'UNMATCHED'
            else fc.outcome end,
       case when l.rescinded_on <= l.election_day
                then 'rescinded on ' || l.rescinded_on
                     || coalesce(': ' || nullif(btrim(l.rescind_reason), ''), '')
            when fc.candidacy_id is null and l.candidacy_id is not null
                then 'matched to a candidacy on another stage''s ballot'
            when fc.candidacy_id is null then 'no ballot candidate matched'
            else fc.reason end,
       case when l.rescinded_on <= l.election_day or fc.candidacy_id is null then 'excluded'
            else fc.tally end,
       fc.called_by_staff, fc.certified_by_staff, fc.excluded_reason, fc.disputed
  from live l
  left join body_roots br on br.body_id = l.body_id
  left join bodies rb on rb.id = br.root_id
  left join fc on fc.candidacy_id = l.candidacy_id and fc.stage_id = l.stage_id
$$;


create or replace view endorsement_outcomes as
select * from figure_endorsements(array(select id from stages));

-- The race columns are the same on every endorsement of a candidacy, so the group's min() of
-- each is that value.
create or replace function figure_races(p_stages bigint[])
returns table (
    stage text, contest_id bigint, office text, level text, district text,
    contest_party text, seats int, candidacy_id bigint, candidate text, endorsed_as text[],
    bodies text[], endorsements int, parties text[], incumbent boolean, votes bigint,
    votes_cast bigint, percent numeric, margin bigint, close boolean,
    precincts_reporting int, precincts_total int, call_status text, uncontested boolean,
    outcome text, reason text, tally text, as_of timestamptz, snapshot_id bigint,
    called_by_staff boolean, certified_by_staff boolean, excluded_reason text, disputed boolean
)
language sql stable as $$
with fe as (
    select f.*,
           f.outcome = 'RESCINDED' as rescinded,
           -- unmatched endorsements stand alone; matched ones group by candidacy
           case when f.matched_id is null then f.endorsement_id end as lone_id
      from figure_endorsements(p_stages) f
),
grouped as materialized (
    select fe.stage_kind, fe.stage_id, fe.matched_id, fe.lone_id, fe.rescinded,
           min(fe.contest_id) as contest_id, min(fe.office) as office, min(fe.level) as level,
           min(fe.district) as district, min(fe.contest_party) as contest_party,
           min(fe.seats) as seats,
           coalesce(min(fe.ballot_name), min(fe.candidate)) as candidate,
           array_agg(distinct fe.candidate order by fe.candidate) as endorsed_as,
           array_remove(array_agg(distinct fe.root_name order by fe.root_name), null) as bodies,
           count(*)::int as endorsements,
           min(fe.parties) as parties, bool_and(fe.incumbent) as incumbent,
           min(fe.votes) as votes, min(fe.votes_cast) as votes_cast, min(fe.percent) as percent,
           min(fe.margin) as margin, bool_and(fe.close) as close,
           min(fe.precincts_reporting) as precincts_reporting,
           min(fe.precincts_total) as precincts_total, min(fe.call_status) as call_status,
           bool_and(fe.uncontested) as uncontested,
           min(fe.outcome) as outcome, min(fe.reason) as reason, min(fe.tally) as tally,
           min(fe.as_of) as as_of, min(fe.snapshot_id) as snapshot_id,
           bool_or(fe.called_by_staff) as called_by_staff,
           bool_or(fe.certified_by_staff) as certified_by_staff,
           min(fe.excluded_reason) as excluded_reason,
           bool_or(fe.disputed) as disputed
      from fe
     group by fe.stage_kind, fe.stage_id, fe.matched_id, fe.lone_id, fe.rescinded
)
select g.stage_kind, g.contest_id, g.office, g.level, g.district, g.contest_party, g.seats,
       g.matched_id, g.candidate, g.endorsed_as, g.bodies, g.endorsements, g.parties,
       g.incumbent, g.votes, g.votes_cast, g.percent, g.margin, g.close,
       g.precincts_reporting, g.precincts_total, g.call_status, g.uncontested,
       g.outcome, g.reason, g.tally, g.as_of, g.snapshot_id, g.called_by_staff,
       g.certified_by_staff, g.excluded_reason, g.disputed
  from grouped g
 where not (g.rescinded and g.matched_id is not null   -- another body still endorses it
            and exists (select 1 from grouped o
                         where o.stage_id = g.stage_id and o.matched_id = g.matched_id
                           and not o.rescinded))
 order by g.stage_id, g.office, length(g.district), g.district, g.contest_party, g.candidate
$$;
