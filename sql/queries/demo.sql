-- name: real_elections
-- Elections that are real work (neither the demo nor a replay): the demo never starts beside them.
select slug from elections where not demo and replay_of is null order by slug;

-- name: demo_election_ids
-- The demo's elections.
select id, slug from elections where demo order by id;

-- name: mark_body_demo
-- A body the demo created goes when the demo goes.
update bodies set demo = true where id = :id;

-- name: mark_withdrawn
-- Staff record that a candidate withdrew (the feed keeps the name on the ballot).
update candidacies set withdrew_on = :withdrew_on where id = :id;

-- name: decided_reviews
-- Review items people decided on these elections' endorsements: their remembered decisions are
-- keyed by names, not ids, so they must be found before the endorsements go.
select r.candidate, r.ballot_name, en.office, en.district
  from match_reviews r
  join endorsements en on en.id = r.endorsement_id
  join stages s on s.id = en.stage_id
 where s.election_id = any(:election_ids::bigint[]) and r.status in ('confirmed', 'rejected');

-- name: forget_decision
-- Forget one remembered match decision.
delete from match_decisions
 where typed_key = :typed_key and ballot_key = :ballot_key
   and office = :office and district = :district;

-- name: delete_figures
-- Published figures of these elections.
delete from published_figures where election_id = any(:election_ids::bigint[]);

-- name: delete_endorsements
-- The endorsements of these elections (stages do not cascade to them); returns their ids.
delete from endorsements en
 using stages s
 where s.id = en.stage_id and s.election_id = any(:election_ids::bigint[])
returning en.id;

-- name: delete_endorsement_versions
-- The history of deleted endorsements (a hard delete writes one last version: drop that too).
delete from endorsement_versions where endorsement_id = any(:ids::bigint[]);

-- name: election_candidates
-- The people on these elections' ballots (kept when another ballot names them).
select distinct cd.candidate_id
  from candidacies cd
  join contests c on c.id = cd.contest_id
  join stages s on s.id = c.stage_id
 where s.election_id = any(:election_ids::bigint[]);

-- name: delete_elections
-- The elections; stages, contests, candidacies, results, sources and snapshots cascade.
delete from elections where id = any(:election_ids::bigint[]);

-- name: delete_orphan_candidates
-- People no ballot names any more.
delete from candidates c
 where c.id = any(:ids::bigint[])
   and not exists (select 1 from candidacies cd where cd.candidate_id = c.id);

-- name: delete_demo_bodies
-- The demo's bodies no endorsement names and no real body hangs under; returns how many.
delete from bodies b
 where b.demo
   and not exists (select 1 from endorsements en where en.body_id = b.id)
   and not exists (select 1 from bodies k where k.parent_id = b.id and not k.demo);

-- name: disable_demo_sources
-- The demo's feed stops with the demo: its sources stop being polled (the night stays as it was).
update sources so set enabled = false
  from stages s join elections e on e.id = s.election_id
 where so.stage_id = s.id and e.demo and so.enabled;
