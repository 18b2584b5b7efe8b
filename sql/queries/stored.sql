-- Named queries of stored snapshots applied again (endorse.results.stored): what the stored
-- bytes are, and forgetting what they wrote so they can be applied from scratch.

-- name: stored_snapshots
-- Stored snapshots by id, oldest first, with what parses them.
select sn.id, sn.body, sn.sha256, sn.status, sn.released_by is not null as released,
       so.id as source_id, so.stage_id, so.format,
       coalesce(sn.mapping, so.mapping) as mapping
  from snapshots sn
  join sources so on so.id = sn.source_id
 where sn.id = any(:ids::bigint[])
 order by sn.id;

-- name: forget_fed_contests
-- Forget what stored snapshots wrote into the stages: the results rows, reporting state (and
-- with it the per-contest hash that would skip a re-apply) and declared winners of every
-- contest a snapshot fed. Contests filled by hand (no snapshot) are left as they are.
with fed as (
    select cs.contest_id
      from contest_status cs
      join contests c on c.id = cs.contest_id
     where c.stage_id = any(:stage_ids::bigint[]) and cs.snapshot_id is not null
), votes as (
    delete from results r
     using candidacies ca, fed
     where ca.id = r.candidacy_id and ca.contest_id = fed.contest_id
), winners as (
    update candidacies ca
       set declared_winner = null
      from fed
     where ca.contest_id = fed.contest_id and ca.declared_winner is not null
)
delete from contest_status cs
 using fed
 where cs.contest_id = fed.contest_id;
