-- Named queries of a published figure's reproduction (endorse.figures.published.reproduce).
-- Everything that writes here runs inside a transaction that is always rolled back.

-- name: figure_stages
-- The stages a figure covers (every stage of the election when it pooled them).
select s.id
  from elections e
  join stages s on s.election_id = e.id
 where e.slug = :slug and (:stage = 'all' or s.kind = :stage)
 order by s.id;

-- name: figure_snapshots
-- The stored snapshots a figure rests on, oldest first, with what parses them.
select sn.id, sn.body, sn.sha256, sn.status, so.id as source_id, so.stage_id, so.format,
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

-- name: endorsements_then
-- Endorsements in the stages now or in an earlier version, with the version each had at :at
-- (null: made after :at).
select e.id, e.version,
       (select max(v.version)
          from endorsement_versions v
         where v.endorsement_id = e.id and v.changed_at <= :at) as then_version
  from endorsements e
 where e.stage_id = any(:stage_ids::bigint[])
    or exists (select 1
                 from endorsement_versions v
                where v.endorsement_id = e.id
                  and (v.data ->> 'stage_id')::bigint = any(:stage_ids::bigint[]));

-- name: hide_endorsements
-- Step one of a rewind: out of every list and rate (soft delete), so step two never meets the
-- identity index half way.
update endorsements set deleted_at = now() where id = any(:ids::bigint[]) and deleted_at is null;

-- name: restore_endorsements
-- Step two: each endorsement as its version at the figure's time says (match included).
update endorsements e
   set (stage_id, body_id, office, office_typed, district, candidate_name, party, candidacy_id,
        match_method, endorsed_on, rescinded_on, rescind_reason, late_ok, notes, deleted_at)
     = (p.stage_id, p.body_id, p.office, p.office_typed, p.district, p.candidate_name, p.party,
        p.candidacy_id, p.match_method, p.endorsed_on, p.rescinded_on, p.rescind_reason,
        p.late_ok, p.notes, p.deleted_at)
  from unnest(:ids::bigint[], :versions::int[]) as t(id, version)
  join endorsement_versions v on (v.endorsement_id, v.version) = (t.id, t.version)
 cross join lateral jsonb_populate_record(null::endorsements, v.data) as p
 where e.id = t.id;
