-- Named queries of a published figure's reproduction (endorse.figures.published.reproduce).
-- Everything that writes here runs inside a transaction that is always rolled back.

-- name: figure_stages
-- The stages a figure covers (every stage of the election when it pooled them).
select s.id
  from elections e
  join stages s on s.election_id = e.id
 where e.slug = :slug and (:stage = 'all' or s.kind = :stage)
 order by s.id;

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
   set (stage_id, body_id, office, office_typed, district, candidate, party, candidacy_id,
        match_method, endorsed_on, rescinded_on, rescind_reason, late_ok, notes, deleted_at,
        incumbent)
     = (p.stage_id, p.body_id, p.office, p.office_typed, p.district, p.candidate, p.party,
        p.candidacy_id, p.match_method, p.endorsed_on, p.rescinded_on, p.rescind_reason,
        p.late_ok, p.notes, p.deleted_at, p.incumbent)
  from unnest(:ids::bigint[], :versions::int[]) as t(id, version)
  join endorsement_versions v on (v.endorsement_id, v.version) = (t.id, t.version)
 cross join lateral jsonb_populate_record(null::endorsements, v.data) as p
 where e.id = t.id;

-- name: drop_decisions_since
-- Rewinding staff decisions to :at, step one: those made since are gone (sql/0080).
delete from race_decisions where stage_id = any(:stage_ids::bigint[]) and decided_at > :at;

-- name: restore_decisions_then
-- Step two: those withdrawn since are in force again.
update race_decisions
   set withdrawn_at = null, withdrawn_by = null
 where stage_id = any(:stage_ids::bigint[]) and withdrawn_at > :at;

-- name: reopen_holds_since
-- Held corrections as they stood at :at: a contest a person accepted (or a later payload
-- superseded) since is held again, so the replay holds what the loads before :at held
-- (endorse.results.held applies a snapshot's accepted contests, whenever accepted).
update held_corrections h
   set state = 'held', decided_by = null, decided_at = null, note = null
  from sources so
 where so.id = h.source_id and so.stage_id = any(:stage_ids::bigint[])
   and h.state <> 'held' and h.decided_at > :at;
