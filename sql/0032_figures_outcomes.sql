-- Outcomes, decided in SQL so the API, the CLI, the dashboard and psql all get the same answer.
--
-- figure_candidacies(stages)  one row per candidacy of those stages' contests: votes (fusion
--                             lines summed, as candidacy_totals), rank, winner, margin, call
--                             status, recount watch, outcome and reason.
-- candidacy_outcomes          the same for every stage (a view, for people and psql).
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
--   or fully reported. A called race whose margin is within the recount rule (0031) is PENDING
--   'recanvass', an exact tie PENDING 'tie, adjourned election' -- unless the source has
--   declared winners or certified the result, which means the recanvass is behind us.
-- * Uncontested: no more named candidates (write-in lines and withdrawn candidates are not
--   opponents) than seats.
-- * ADVANCED: a primary winner (advances to the general), or anyone who appears in the same
--   office's contest of a later runoff stage of the election.
-- * tally is how a rate counts the outcome: WON and ADVANCED-from-a-primary are wins, LOST a
--   loss, PENDING and ADVANCED-to-a-runoff pending, WITHDREW excluded.

-- 1234567 -> '1,234,567' for reasons people read
create function figure_num(n bigint) returns text
language sql immutable as $$ select to_char(n, 'FM999,999,999,990') $$;

create function figure_candidacies(p_stages bigint[])
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
with k as (
    select c.id, c.stage_id, s.kind, s.election_day, s.election_id, c.office, c.level,
           c.district, c.party, c.seats, c.party_cap,
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
),
t as (
    select cd.id, cd.contest_id, cd.candidate_id, cd.ballot_name, cd.parties, cd.incumbent,
           cd.write_in, cd.withdrew_on, cd.declared_winner, tot.votes, tot.has_results,
           coalesce(cd.parties[1], '#' || cd.id) as cap_party
      from k
      join candidacies cd on cd.contest_id = k.id
      join candidacy_totals tot on tot.candidacy_id = cd.id
),
ranked as (
    select t.*,
           row_number() over (partition by t.contest_id, t.cap_party
                              order by t.votes desc, t.id) as party_rank
      from t
),
eligible as (
    select r.*, (k.party_cap is null or r.party_rank <= k.party_cap) as eligible,
           bool_or(r.declared_winner is not null) over (partition by r.contest_id) as winner_list,
           bool_or(r.has_results) over (partition by r.contest_id) as any_results
      from ranked r
      join k on k.id = r.contest_id
),
won as (
    select e.*,
           case when e.winner_list then coalesce(e.declared_winner, false)
                else e.eligible
                     and count(*) filter (where e.eligible)
                         over (partition by e.contest_id order by e.votes desc, e.id) <= k.slots
           end as winner
      from eligible e
      join k on k.id = e.contest_id
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
                              and (w.withdrew_on is null or w.withdrew_on > k.election_day))
               over (partition by w.contest_id) as named
      from won w
      join k on k.id = w.contest_id
),
judged as (
    select b.*,
           case when b.winner then b.votes - greatest(b.first_loser, b.party_first_loser)
                when b.eligible then b.votes - b.last_winner
                else b.votes - coalesce(b.party_last_winner, b.last_winner)
           end as margin,
           (not b.winner and not b.eligible and not b.winner_list
            and b.votes > b.last_winner) as capped,
           case when k.status in ('official', 'certified') then 'official'
                when k.precincts_total > 0 and k.precincts_reporting >= k.precincts_total
                    then 'all reporting'
                when coalesce(k.precincts_reporting, 0) > 0 or b.any_results then 'partial'
                else 'not reporting'
           end as call_status,
           b.named <= k.seats as uncontested,
           exists (select 1
                     from stages rs
                     join contests rc on rc.stage_id = rs.id
                     join candidacies rcd on rcd.contest_id = rc.id
                    where rs.election_id = k.election_id and rs.kind = 'runoff'
                      and rs.election_day > k.election_day
                      and rc.office = k.office and rc.district = k.district
                      and rc.party = k.party and rcd.candidate_id = b.candidate_id) as to_runoff
      from bounds b
      join k on k.id = b.contest_id
),
decided as (
    select j.*,
           j.winner_list or (j.any_results and j.call_status in ('official', 'all reporting'))
               as called,
           j.winner_list or k.status = 'certified' as final,
           k.margin_pct is not null and j.margin is not null
           and (abs(j.margin) < k.margin_floor
                or (abs(j.margin) * 100 < k.margin_pct * j.votes_cast
                    and abs(j.margin) <= k.margin_cap)) as close
      from judged j
      join k on k.id = j.contest_id
)
select k.stage_id, k.kind, k.election_day, k.id, k.office, k.level, k.district, k.party,
       k.seats, k.party_cap,
       d.id, d.candidate_id, d.ballot_name, d.parties, d.incumbent, d.write_in, d.votes,
       d.votes_cast,
       -- percent of the votes cast for the office, one decimal, half up in integer arithmetic
       case when d.votes_cast > 0
            then round(((2000 * d.votes + d.votes_cast) / (2 * d.votes_cast))::numeric / 10, 1)
       end,
       d.winner, d.capped, d.margin, d.close,
       k.precincts_reporting, k.precincts_total, k.status, d.call_status, d.called,
       d.winner_list, d.uncontested, k.as_of, k.snapshot_id,
       o.outcome, o.reason,
       case when o.outcome = 'WON' then 'won'
            when o.outcome = 'ADVANCED' and k.kind = 'primary' then 'won'
            when o.outcome = 'LOST' then 'lost'
            when o.outcome in ('PENDING', 'ADVANCED') then 'pending'
            else 'excluded'
       end
  from decided d
  join k on k.id = d.contest_id
 cross join lateral (
    select case
             when d.withdrew_on is not null and d.withdrew_on <= k.election_day then 'WITHDREW'
             when not d.called then 'PENDING'
             when d.to_runoff then 'ADVANCED'
             when not d.final and d.margin = 0 then 'PENDING'
             when not d.final and d.close then 'PENDING'
             when d.winner and k.kind = 'primary' then 'ADVANCED'
             when d.winner then 'WON'
             else 'LOST'
           end as outcome,
           case
             when d.withdrew_on is not null and d.withdrew_on <= k.election_day
                 then 'withdrew on ' || d.withdrew_on
             when not d.called and d.call_status = 'not reporting' then 'not called: no results yet'
             when not d.called and k.precincts_total is not null
                 then 'not called: ' || coalesce(k.precincts_reporting, 0) || ' of '
                      || k.precincts_total || ' precincts reporting'
             when not d.called then 'not called: partial results'
             when d.to_runoff then 'advances to the runoff'
             when not d.final and d.margin = 0 then 'tie, adjourned election'
             when not d.final and d.close
                 then 'recanvass: margin ' || figure_num(abs(d.margin)) || ' of '
                      || figure_num(d.votes_cast) || ' votes cast (' || k.statute || ')'
             when d.winner and k.kind = 'primary'
                 then 'won the primary; advances to the general election'
             when d.winner and d.winner_list then 'declared winner (source)'
             when d.winner and d.uncontested then 'uncontested'
             when d.winner and d.margin is null then 'elected; no candidate lost'
             when d.winner and k.seats > 1
                 then 'elected (' || k.seats || ' seats), ' || figure_num(d.margin)
                      || ' votes ahead of the first loser'
             when d.winner then 'won by ' || figure_num(d.margin) || ' votes'
             when d.winner_list then 'not on the source''s winner list'
             when d.capped
                 then 'skipped by the party cap: at most ' || k.party_cap
                      || ' winners from one party (CGS 9-167a)'
             else 'lost by ' || figure_num(-d.margin) || ' votes'
           end as reason
 ) o
$$;

create view candidacy_outcomes as
select * from figure_candidacies(array(select id from stages));
