-- Named queries of the election-night page: the change log (sql/0050), the candidates of the
-- endorsed races, the headline history.

-- name: night_seq
-- The election's latest change number (0 before any change).
select coalesce((select seq from night_counters where election_id = :election_id), 0);

-- name: changes_since
-- Changes after a number, oldest first, with the stage kinds they touched.
select nc.seq, nc.contest_ids,
       array(select s.kind from stages s where s.id = any(nc.stage_ids) order by s.kind) as stages
  from night_changes nc
 where nc.election_id = :election_id and nc.seq > :since
 order by nc.seq
 limit :limit;

-- name: contests_changed_since
-- The contests of one stage changed after a number, and the latest number.
select coalesce(array_agg(distinct c.id) filter (where c.stage_id = :stage_id), '{}') as contests,
       coalesce(max(nc.seq), :since) as seq
  from night_changes nc
  left join lateral unnest(nc.contest_ids) as x(id) on true
  left join contests c on c.id = x.id
 where nc.election_id = :election_id and nc.seq > :since;

-- name: election_of_slug
-- An election's id by slug (no row when unknown).
select id from elections where slug = :slug;

-- name: race_candidates
-- Every candidacy of the given contests: fusion total, per-line votes, most votes first.
select ca.id as candidacy_id, ca.contest_id, ca.ballot_name as name, ca.parties,
       candidacy_incumbent(ca.id, ca.incumbent) as incumbent, ca.write_in, ca.declared_winner,
       ca.withdrew_on, t.votes,
       coalesce((select jsonb_agg(jsonb_build_object('party', l.party, 'votes', l.votes)
                                  order by l.votes desc, l.party)
                   from (select r.party, sum(r.votes)::bigint as votes
                           from results r
                          where r.candidacy_id = ca.id
                          group by r.party) l), '[]'::jsonb)::text as lines
  from candidacies ca
  join candidacy_totals t on t.candidacy_id = ca.id
 where ca.contest_id = any(:contest_ids::bigint[])
 order by ca.contest_id, t.votes desc, ca.ballot_name;

-- name: stage_contests
-- Every contest of a stage with its reporting state (the official-results-only view).
select c.id as contest_id, c.office, c.level, c.district, c.party as contest_party, c.seats,
       cs.precincts_reporting, cs.precincts_total, coalesce(cs.status, 'unofficial') as status,
       coalesce(cs.as_of, cs.updated_at) as as_of
  from contests c
  left join contest_status cs on cs.contest_id = c.id
 where c.stage_id = :stage_id
 order by c.level, c.office, c.district, c.party;

-- name: contest_states
-- Reporting state of the given contests (status: unofficial, official, certified).
select c.id as contest_id, cs.precincts_reporting, cs.precincts_total,
       coalesce(cs.status, 'unofficial') as status
  from contests c
  left join contest_status cs on cs.contest_id = c.id
 where c.id = any(:contest_ids::bigint[]);

-- name: note_headline
-- Keep the headline as computed after a change (first writer wins; a derived history).
insert into night_headlines
       (stage_id, seq, won, lost, pending, not_reporting, percent, low, high)
values (:stage_id, :seq, :won, :lost, :pending, :not_reporting, :percent, :low, :high)
    on conflict (stage_id, seq) do nothing;

-- name: headline_history
-- The headline through the night, oldest first (the last :limit points).
select * from (select at, seq, won, lost, pending, not_reporting, percent, low, high
                 from night_headlines
                where stage_id = :stage_id
                order by seq desc
                limit :limit) h
 order by seq;

-- name: stage_of_election
-- A stage's id by election and kind.
select id from stages where election_id = :election_id and kind = :kind;

-- name: latest_change
-- The election's latest change with its slug and the stages it touched (no row before any).
select nc.seq, e.slug, s.id as stage_id, s.kind
  from night_changes nc
  join elections e on e.id = nc.election_id
  join stages s on s.id = any(nc.stage_ids)
 where nc.election_id = :election_id
   and nc.seq = (select seq from night_counters where election_id = :election_id);
