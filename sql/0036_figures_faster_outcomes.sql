-- Outcomes fast enough to recompute on every change of an election night (same rules as 0032).
--
-- Measured by bench/bench_stats.py (3,000 contests, 300,000 result rows): figure_stats() took
-- ~340 ms because figure_candidacies() summed every candidacy of the stage and evaluated the
-- runoff lookup once per reference. Now:
-- * figure_candidacies(stages, contests) takes the contests to decide (null: all of them);
--   figure_endorsements passes only the contests someone endorsed in;
-- * totals come from candidacy_totals one candidacy at a time (a parameterized lookup on the
--   results primary key), so the view stays the one definition of a fusion total;
-- * each rule is evaluated once per row (materialized steps), the runoff ballot looked up once;
-- * figure_races takes a row's race columns from its own group instead of searching for them.
-- The one-argument figure_candidacies(stages) keeps its meaning (every contest).

create function figure_candidacies(p_stages bigint[], p_contests bigint[])
returns table (
    stage_id bigint, stage_kind text, election_day date, contest_id bigint, office text,
    level text, district text, contest_party text, seats int, party_cap int,
    candidacy_id bigint, candidate_id bigint, ballot_name text, parties text[],
    incumbent boolean, write_in boolean, votes bigint, votes_cast bigint, percent numeric,
    winner boolean, capped boolean, margin bigint, close boolean,
    precincts_reporting int, precincts_total int, source_status text, call_status text,
    called boolean, winner_list boolean, uncontested boolean, as_of timestamptz,
    snapshot_id bigint, outcome text, reason text, tally text
)
language sql stable as $$
with k as materialized (
    select c.id as contest_id, c.stage_id, s.kind, s.election_day, s.election_id, c.office,
           c.level, c.district, c.party, c.seats, c.party_cap,
           case when s.kind = 'primary' and c.vote_variation = 'top_two' then 2 * c.seats
                else c.seats end as slots,
           cs.precincts_reporting, cs.precincts_total, coalesce(cs.status, 'unofficial') as status,
           coalesce(cs.as_of, cs.updated_at) as as_of, cs.snapshot_id,
           rr.margin_pct, rr.margin_floor, rr.statute,
           case when s.kind = 'primary' then rr.margin_cap_primary else rr.margin_cap end as margin_cap
      from contests c
      join stages s on s.id = c.stage_id
      join elections e on e.id = s.election_id
      left join contest_status cs on cs.contest_id = c.id
      left join recount_rules rr on rr.jurisdiction = e.jurisdiction
     where c.stage_id = any(p_stages)
       and (p_contests is null or c.id = any(p_contests))
),
runoff as materialized (
    -- who is on a later runoff ballot of the same election, for the same office
    select distinct rs.election_id, rs.election_day, rc.office, rc.district, rc.party,
           rcd.candidate_id
      from stages rs
      join contests rc on rc.stage_id = rs.id
      join candidacies rcd on rcd.contest_id = rc.id
     where rs.kind = 'runoff' and rs.election_id in (select election_id from k)
),
t as (
    select k.*, cd.id, cd.candidate_id, cd.ballot_name, cd.parties, cd.incumbent, cd.write_in,
           cd.withdrew_on, cd.declared_winner, tot.votes, tot.has_results,
           coalesce(cd.parties[1], '#' || cd.id) as cap_party,  -- CGS 9-167a: first party line
           exists (select 1 from runoff ro
                    where ro.election_id = k.election_id and ro.election_day > k.election_day
                      and ro.office = k.office and ro.district = k.district
                      and ro.party = k.party and ro.candidate_id = cd.candidate_id) as to_runoff
      from k
      join candidacies cd on cd.contest_id = k.contest_id
     cross join lateral (
           -- "offset 0" keeps this a per-candidacy lookup instead of summing the whole table
           select ct.votes, ct.has_results
             from candidacy_totals ct
            where ct.candidacy_id = cd.id
           offset 0) tot
),
ranked as (
    select t.*,
           row_number() over (partition by t.contest_id, t.cap_party
                              order by t.votes desc, t.id) as party_rank,
           bool_or(t.declared_winner is not null) over (partition by t.contest_id) as winner_list,
           bool_or(t.has_results) over (partition by t.contest_id) as any_results
      from t
),
won as (
    select r.*,
           (r.party_cap is null or r.party_rank <= r.party_cap) as eligible,
           case when r.winner_list then coalesce(r.declared_winner, false)
                else (r.party_cap is null or r.party_rank <= r.party_cap)
                     and count(*) filter (where r.party_cap is null or r.party_rank <= r.party_cap)
                         over (partition by r.contest_id order by r.votes desc, r.id) <= r.slots
           end as winner
      from ranked r
),
bounds as (
    select w.*,
           min(w.votes) filter (where w.winner) over (partition by w.contest_id) as last_winner,
           max(w.votes) filter (where not w.winner and w.eligible)
               over (partition by w.contest_id) as first_loser,
           min(w.votes) filter (where w.winner)
               over (partition by w.contest_id, w.cap_party) as party_last_winner,
           max(w.votes) filter (where not w.winner and not w.eligible)
               over (partition by w.contest_id, w.cap_party) as party_first_loser,
           sum(w.votes) over (partition by w.contest_id)::bigint as votes_cast,
           count(*) filter (where not w.write_in
                              and (w.withdrew_on is null or w.withdrew_on > w.election_day))
               over (partition by w.contest_id) as named
      from won w
),
judged as materialized (
    select b.*,
           case when b.winner then b.votes - greatest(b.first_loser, b.party_first_loser)
                when b.eligible then b.votes - b.last_winner
                else b.votes - coalesce(b.party_last_winner, b.last_winner)
           end as margin,
           (not b.winner and not b.eligible and not b.winner_list
            and b.votes > b.last_winner) as capped,
           case when b.status in ('official', 'certified') then 'official'
                when b.precincts_total > 0 and b.precincts_reporting >= b.precincts_total
                    then 'all reporting'
                when coalesce(b.precincts_reporting, 0) > 0 or b.any_results then 'partial'
                else 'not reporting'
           end as call_status,
           b.named <= b.seats as uncontested,
           b.withdrew_on is not null and b.withdrew_on <= b.election_day as withdrew,
           b.winner_list or b.status = 'certified' as final
      from bounds b
),
decided as materialized (
    select j.*,
           j.winner_list or (j.any_results and j.call_status in ('official', 'all reporting'))
               as called,
           j.margin_pct is not null and j.margin is not null
           and (abs(j.margin) < j.margin_floor
                or (abs(j.margin) * 100 < j.margin_pct * j.votes_cast
                    and abs(j.margin) <= j.margin_cap)) as close
      from judged j
)
select d.stage_id, d.kind, d.election_day, d.contest_id, d.office, d.level, d.district, d.party,
       d.seats, d.party_cap, d.id, d.candidate_id, d.ballot_name, d.parties, d.incumbent,
       d.write_in, d.votes, d.votes_cast,
       case when d.votes_cast > 0
            then round(((2000 * d.votes + d.votes_cast) / (2 * d.votes_cast))::numeric / 10, 1)
       end,
       d.winner, d.capped, d.margin, d.close, d.precincts_reporting, d.precincts_total,
       d.status, d.call_status, d.called, d.winner_list, d.uncontested, d.as_of, d.snapshot_id,
       o.outcome, o.reason,
       case when o.outcome = 'WON' then 'won'
            when o.outcome = 'ADVANCED' and d.kind = 'primary' then 'won'
            when o.outcome = 'LOST' then 'lost'
            when o.outcome in ('PENDING', 'ADVANCED') then 'pending'
            else 'excluded'
       end
  from decided d
 cross join lateral (
    select case
             when d.withdrew then 'WITHDREW'
             when not d.called then 'PENDING'
             when d.to_runoff then 'ADVANCED'
             when not d.final and d.margin = 0 then 'PENDING'
             when not d.final and d.close then 'PENDING'
             when d.winner and d.kind = 'primary' then 'ADVANCED'
             when d.winner then 'WON'
             else 'LOST'
           end as outcome,
           case
             when d.withdrew then 'withdrew on ' || d.withdrew_on
             when not d.called and d.call_status = 'not reporting' then 'not called: no results yet'
             when not d.called and d.precincts_total is not null
                 then 'not called: ' || coalesce(d.precincts_reporting, 0) || ' of '
                      || d.precincts_total || ' precincts reporting'
             when not d.called then 'not called: partial results'
             when d.to_runoff then 'advances to the runoff'
             when not d.final and d.margin = 0 then 'tie, adjourned election'
             when not d.final and d.close
                 then 'recanvass: margin ' || figure_num(abs(d.margin)) || ' of '
                      || figure_num(d.votes_cast) || ' votes cast (' || d.statute || ')'
             when d.winner and d.kind = 'primary'
                 then 'won the primary; advances to the general election'
             when d.winner and d.winner_list then 'declared winner (source)'
             when d.winner and d.uncontested then 'uncontested'
             when d.winner and d.margin is null then 'elected; no candidate lost'
             when d.winner and d.seats > 1
                 then 'elected (' || d.seats || ' seats), ' || figure_num(d.margin)
                      || ' votes ahead of the first loser'
             when d.winner then 'won by ' || figure_num(d.margin) || ' votes'
             when d.winner_list then 'not on the source''s winner list'
             when d.capped
                 then 'skipped by the party cap: at most ' || d.party_cap
                      || ' winners from one party (CGS 9-167a)'
             else 'lost by ' || figure_num(-d.margin) || ' votes'
           end as reason
 ) o
$$;

create or replace function figure_candidacies(p_stages bigint[])
returns table (
    stage_id bigint, stage_kind text, election_day date, contest_id bigint, office text,
    level text, district text, contest_party text, seats int, party_cap int,
    candidacy_id bigint, candidate_id bigint, ballot_name text, parties text[],
    incumbent boolean, write_in boolean, votes bigint, votes_cast bigint, percent numeric,
    winner boolean, capped boolean, margin bigint, close boolean,
    precincts_reporting int, precincts_total int, source_status text, call_status text,
    called boolean, winner_list boolean, uncontested boolean, as_of timestamptz,
    snapshot_id bigint, outcome text, reason text, tally text
)
language sql stable as $$
    select * from figure_candidacies(p_stages, null::bigint[])
$$;

-- Only the contests someone endorsed in are decided (same output as 0033).
create or replace function figure_endorsements(p_stages bigint[])
returns table (
    endorsement_id bigint, stage_id bigint, stage_kind text, body_id bigint, root_id bigint,
    root_name text, candidate_name text, matched_id bigint, office text, level text,
    district text, contest_id bigint, contest_party text, seats int, ballot_name text,
    parties text[], incumbent boolean, votes bigint, votes_cast bigint, percent numeric,
    margin bigint, close boolean, precincts_reporting int, precincts_total int,
    call_status text, uncontested boolean, as_of timestamptz, snapshot_id bigint,
    outcome text, reason text, tally text
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
select l.id, l.stage_id, l.kind, l.body_id, br.root_id, rb.name, l.candidate_name,
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
            else fc.tally end
  from live l
  left join body_roots br on br.body_id = l.body_id
  left join bodies rb on rb.id = br.root_id
  left join fc on fc.candidacy_id = l.candidacy_id and fc.stage_id = l.stage_id
$$;

-- One row per endorsed candidacy (same output as 0033); the race columns are the same on every
-- endorsement of a candidacy, so the group's min() of each is that value.
create or replace function figure_races(p_stages bigint[])
returns table (
    stage text, contest_id bigint, office text, level text, district text,
    contest_party text, seats int, candidacy_id bigint, candidate text, endorsed_as text[],
    bodies text[], endorsements int, parties text[], incumbent boolean, votes bigint,
    votes_cast bigint, percent numeric, margin bigint, close boolean,
    precincts_reporting int, precincts_total int, call_status text, uncontested boolean,
    outcome text, reason text, tally text, as_of timestamptz, snapshot_id bigint
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
           coalesce(min(fe.ballot_name), min(fe.candidate_name)) as candidate,
           array_agg(distinct fe.candidate_name order by fe.candidate_name) as endorsed_as,
           array_remove(array_agg(distinct fe.root_name order by fe.root_name), null) as bodies,
           count(*)::int as endorsements,
           min(fe.parties) as parties, bool_and(fe.incumbent) as incumbent,
           min(fe.votes) as votes, min(fe.votes_cast) as votes_cast, min(fe.percent) as percent,
           min(fe.margin) as margin, bool_and(fe.close) as close,
           min(fe.precincts_reporting) as precincts_reporting,
           min(fe.precincts_total) as precincts_total, min(fe.call_status) as call_status,
           bool_and(fe.uncontested) as uncontested,
           min(fe.outcome) as outcome, min(fe.reason) as reason, min(fe.tally) as tally,
           min(fe.as_of) as as_of, min(fe.snapshot_id) as snapshot_id
      from fe
     group by fe.stage_kind, fe.stage_id, fe.matched_id, fe.lone_id, fe.rescinded
)
select g.stage_kind, g.contest_id, g.office, g.level, g.district, g.contest_party, g.seats,
       g.matched_id, g.candidate, g.endorsed_as, g.bodies, g.endorsements, g.parties,
       g.incumbent, g.votes, g.votes_cast, g.percent, g.margin, g.close,
       g.precincts_reporting, g.precincts_total, g.call_status, g.uncontested,
       g.outcome, g.reason, g.tally, g.as_of, g.snapshot_id
  from grouped g
 where not (g.rescinded and g.matched_id is not null   -- another body still endorses it
            and exists (select 1 from grouped o
                         where o.stage_id = g.stage_id and o.matched_id = g.matched_id
                           and not o.rescinded))
 order by g.stage_id, g.office, length(g.district), g.district, g.contest_party, g.candidate
$$;
