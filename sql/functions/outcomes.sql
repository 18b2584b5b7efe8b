-- Outcomes, decided in SQL so the API, the CLI, the dashboard and psql all get the same answer.
--
-- candidacy_totals                  a candidacy's votes: the sum over party lines and reporting
--                                   units (fusion), the one definition of a total.
-- figure_candidacies(stages[, contests])  one row per candidacy of those stages' contests (all
--                                   of them when contests is null): votes, rank, winner, margin,
--                                   call status, recount watch, outcome and reason.
-- candidacy_outcomes                the same for every stage (a view, for people and psql).
--
-- The rules, in the order they are applied:
-- * Votes are summed over party lines and reporting units before anything is ranked (fusion:
--   one person on the Democratic and Working Families lines is one candidate).
-- * Ranked choice: results hold the final round's votes, so ranking them is the final round.
-- * Winners are the top `seats` (twice that in a top-two primary) in vote order, skipping a
--   candidate whose party already has `party_cap` winners (CGS 9-167a minority representation;
--   a candidate's party for the cap is its first party line). The skip has a closed form: a
--   candidate is eligible when at most party_cap - 1 of its party out-polled it, and wins when
--   it is eligible and fewer than `seats` eligible candidates out-polled it.
-- * A source's own winner list (candidacies.declared_winner set on any row) overrides ours.
-- * Margin: for a winner, its lead over the best loser who could take its seat (an eligible
--   loser, or a loser of its own party skipped by the cap); for a loser, its deficit to the
--   weakest winner it could replace. Only the candidates around that boundary are "close".
-- * Call status: official (source status official/certified), all reporting, partial, not
--   reporting. A race is called when a winner list exists, or it has results and is official
--   or fully reported. A called race whose margin is within the recount rule (recount_rules,
--   sql/0006) is PENDING 'recanvass', an exact tie PENDING 'tie, adjourned election' -- unless
--   the source has declared winners or certified the result, which means the recanvass is
--   behind us.
-- * Uncontested: no more named candidates (write-in lines and withdrawn candidates are not
--   opponents) than seats.
-- * ADVANCED: a primary winner (advances to the general), or anyone who appears in the same
--   office's contest of a later runoff stage of the election.
-- * tally is how a rate counts the outcome: WON and ADVANCED-from-a-primary are wins, LOST a
--   loss, PENDING and ADVANCED-to-a-runoff pending, WITHDREW excluded.
--
-- Staff decisions (race_decisions, sql/0080; decisions.sql) come on top, each applied here once:
-- * A race staff called: the called candidates are its winners, whatever the ranking, a source's
--   winner list, the margin or the reporting say; the race is called and final (no recanvass
--   or tie pending). Everyone else in it LOST (or did not advance).
-- * A stage staff certified: its races with results are called and final, as if the source had
--   certified them (the recanvass is behind us).
-- * A race staff excluded keeps its outcome and reason for people to read, but its tally is
--   'excluded': it leaves every rate. excluded_reason says why.
-- * incumbent is candidacy_incumbent() (decisions.sql): staff, then the import, then the feed.
-- * disputed: two sources carry the contest and their totals differ (contest_disputed(),
--   sources_agree.sql); a flag only, the numbers are those of the source the load kept.
--
-- Fast enough to recompute on every change of an election night (bench/bench_stats.py, 3,000
-- contests, 300,000 result rows): only the contests asked for are decided; totals come from
-- candidacy_totals one candidacy at a time (a parameterized lookup on the results primary key);
-- each rule is evaluated once per row (materialized steps) and the runoff ballot looked up once.
-- Any change to these rules bumps figure_rule_version() (rates.sql).

-- The return type grew (staff decisions): drop and re-create everything that reads it here.
drop function if exists figure_candidacies(bigint[], bigint[]) cascade;
drop function if exists figure_candidacies(bigint[]) cascade;

-- Fusion: a candidate's total is the sum over party lines and reporting units.
create or replace view candidacy_totals as
select c.id as candidacy_id,
       c.contest_id,
       coalesce(sum(r.votes), 0)::bigint as votes,
       count(r.*) > 0 as has_results
  from candidacies c
  left join results r on r.candidacy_id = c.id
 group by c.id, c.contest_id;

-- 1234567 -> '1,234,567' for reasons people read
create or replace function figure_num(n bigint) returns text
language sql immutable as $$ select to_char(n, 'FM999,999,999,990') $$;

create or replace function figure_candidacies(p_stages bigint[], p_contests bigint[] default null)
returns table (
    stage_id bigint, stage_kind text, election_day date, contest_id bigint, office text,
    level text, district text, contest_party text, seats int, party_cap int,
    candidacy_id bigint, candidate_id bigint, ballot_name text, parties text[],
    incumbent boolean, write_in boolean, votes bigint, votes_cast bigint, percent numeric,
    winner boolean, capped boolean, margin bigint, close boolean,
    precincts_reporting int, precincts_total int, source_status text, call_status text,
    called boolean, winner_list boolean, uncontested boolean, as_of timestamptz,
    snapshot_id bigint, outcome text, reason text, tally text, called_by_staff boolean,
    certified_by_staff boolean, excluded_reason text, disputed boolean
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
           case when s.kind = 'primary' then rr.margin_cap_primary else rr.margin_cap end as margin_cap,
           exists (select 1 from race_decisions d
                    where d.kind = 'certify' and d.stage_id = c.stage_id
                      and d.withdrawn_at is null) as staff_certified,
           (select d.reason from race_decisions d
             where d.kind = 'exclude' and d.contest_id = c.id
               and d.withdrawn_at is null) as excluded_reason,
           contest_disputed(c.id) as disputed
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
    select k.*, cd.id, cd.candidate_id, cd.ballot_name, cd.parties,
           candidacy_incumbent(cd.id, cd.incumbent) as incumbent, cd.write_in,
           cd.withdrew_on, cd.declared_winner, tot.votes, tot.has_results,
           exists (select 1 from race_decisions d
                    where d.kind = 'call' and d.candidacy_id = cd.id
                      and d.withdrawn_at is null) as staff_winner,
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
           bool_or(t.staff_winner) over (partition by t.contest_id) as staff_called,
           bool_or(t.has_results) over (partition by t.contest_id) as any_results
      from t
),
won as (
    select r.*,
           (r.party_cap is null or r.party_rank <= r.party_cap) as eligible,
           case when r.staff_called then r.staff_winner
                when r.winner_list then coalesce(r.declared_winner, false)
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
           (not b.winner and not b.eligible and not b.winner_list and not b.staff_called
            and b.votes > b.last_winner) as capped,
           case when b.status in ('official', 'certified') then 'official'
                when b.precincts_total > 0 and b.precincts_reporting >= b.precincts_total
                    then 'all reporting'
                when coalesce(b.precincts_reporting, 0) > 0 or b.any_results then 'partial'
                else 'not reporting'
           end as call_status,
           b.named <= b.seats as uncontested,
           b.withdrew_on is not null and b.withdrew_on <= b.election_day as withdrew,
           b.winner_list or b.status = 'certified' or b.staff_called or b.staff_certified
               as final
      from bounds b
),
decided as materialized (
    select j.*,
           j.winner_list or j.staff_called
           or (j.any_results
               and (j.staff_certified or j.call_status in ('official', 'all reporting')))
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
       o.outcome,
       case when d.excluded_reason is not null
            then 'excluded from the figures by staff: ' || d.excluded_reason || ' (' || o.reason
                 || ')'
            else o.reason end,
       case when d.excluded_reason is not null then 'excluded'
            when o.outcome = 'WON' then 'won'
            when o.outcome = 'ADVANCED' and d.kind = 'primary' then 'won'
            when o.outcome = 'LOST' then 'lost'
            when o.outcome in ('PENDING', 'ADVANCED') then 'pending'
            else 'excluded'
       end,
       d.staff_called, d.staff_certified, d.excluded_reason, d.disputed
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
             when d.staff_called and d.winner and d.kind = 'primary'
                 then 'called by staff; advances to the general election'
             when d.staff_called and d.winner then 'called by staff'
             when d.staff_called then 'staff called the race for another candidate'
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

create or replace view candidacy_outcomes as
select * from figure_candidacies(array(select id from stages));
