-- Named queries of candidate ids (endorse.results.renames): the name first seen under a
-- source's candidate id stays the candidacy's; a later rename under the id is recorded
-- (tables: sql/0075_held_corrections.sql).

-- name: kept_names
-- The names kept for some of a source's candidate ids.
select source_key, name
  from source_candidates
 where source_id = :source_id and source_key = any(:keys::text[]);

-- name: remember_names
-- Ids seen for the first time: their printed name becomes the kept one.
insert into source_candidates (source_id, source_key, name)
select :source_id, k.key, k.name
  from unnest(:keys::text[], :names::text[]) as k(key, name)
    on conflict (source_id, source_key) do nothing;

-- name: record_renames
-- Each new spelling printed under a known id, once (the first snapshot that printed it).
insert into candidate_renames (source_id, snapshot_id, source_key, name, printed)
select :source_id, :snapshot_id, k.key, k.name, k.printed
  from unnest(:keys::text[], :names::text[], :printed::text[]) as k(key, name, printed)
    on conflict (source_id, source_key, printed) do nothing;

-- name: list_renames
-- Renames recorded for a source, or for every source of an election, newest first.
select r.id, r.source_id, r.snapshot_id, r.source_key, r.name, r.printed, r.seen_at
  from candidate_renames r
  join sources so on so.id = r.source_id
  join stages st on st.id = so.stage_id
  join elections e on e.id = st.election_id
 where (:source_id::bigint is null or r.source_id = :source_id)
   and (:slug::text is null or e.slug = :slug)
 order by r.seen_at desc, r.id desc;
