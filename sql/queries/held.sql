-- Named queries of held corrections (endorse.results.held, .accept): contests whose counts went
-- backwards, held for a person (table: sql/0075_held_corrections.sql).

-- name: accepted_keys
-- Contests of a snapshot a person accepted: applied from it as they are (also on reproduction).
select office, district, party
  from held_corrections
 where snapshot_id = :snapshot_id and state = 'accepted';

-- name: compare_state
-- What a load compares a contest with: its reporting count and which source last wrote it.
select contest_id, precincts_reporting, source_id
  from contest_status
 where contest_id = any(:contest_ids::bigint[]);

-- name: stored_rows
-- The stored rows of some contests by candidate name key, party line and unit.
select ca.contest_id, cd.name_key, ca.ballot_name, r.party, r.unit, r.votes
  from results r
  join candidacies ca on ca.id = r.candidacy_id
  join candidates cd on cd.id = ca.candidate_id
 where ca.contest_id = any(:contest_ids::bigint[]);

-- name: supersede
-- Open holds of contests a later payload of the same source carried without going backwards;
-- and contests a person accepted as gone that the payload carries again (sql/0180): marked
-- returned, so going again is held again. Two sets of rows (held, accepted): never the same row.
with carried as (
    select * from unnest(:offices::text[], :districts::text[], :parties::text[])
                  as k(office, district, party)
), superseded as (
    update held_corrections h
       set state = 'superseded', decided_at = now()
      from carried k
     where h.source_id = :source_id and h.state = 'held'
       and (h.office, h.district, h.party) = (k.office, k.district, k.party)
)
update held_corrections h
   set returned_at = now()
  from carried k
 where h.source_id = :source_id and h.gone and h.state = 'accepted' and h.returned_at is null
   and (h.office, h.district, h.party) = (k.office, k.district, k.party);

-- name: insert_held
-- One contest held back from a snapshot (gone: the snapshot does not carry it).
insert into held_corrections
       (source_id, snapshot_id, office, district, party, label, reasons, gone)
values (:source_id, :snapshot_id, :office, :district, :party, :label, :reasons::text[],
        :gone)
on conflict (snapshot_id, office, district, party) do nothing;

-- name: gone_contests
-- Contests of the stage this source wrote last that a payload does not carry: not those held
-- as gone already, nor those a person accepted as gone since the source last wrote or carried
-- them.
select c.office, c.district, c.party, cs.snapshot_id
  from contest_status cs
  join contests c on c.id = cs.contest_id
 where c.stage_id = :stage_id and cs.source_id = :source_id
   and not exists (
       select 1
         from unnest(:offices::text[], :districts::text[], :parties::text[])
              as k(office, district, party)
        where (k.office, k.district, k.party) = (c.office, c.district, c.party))
   and not exists (
       select 1
         from held_corrections h
        where h.source_id = :source_id and h.gone
          and (h.office, h.district, h.party) = (c.office, c.district, c.party)
          and (h.state = 'held'
               or (h.state = 'accepted' and h.returned_at is null and h.held_at >= cs.updated_at)))
 order by c.office, c.district, c.party;

-- name: list_held
-- Held corrections, newest first: open ones of an election, a source, or every one.
select h.id, h.source_id, e.slug as election, st.kind as stage, so.format, h.snapshot_id,
       h.label, h.reasons, h.gone, h.state, h.held_at, h.decided_by, h.decided_at, h.note
  from held_corrections h
  join sources so on so.id = h.source_id
  join stages st on st.id = so.stage_id
  join elections e on e.id = st.election_id
 where (:slug::text is null or e.slug = :slug)
   and (:source_id::bigint is null or h.source_id = :source_id)
   and (:id::bigint is null or h.id = :id)
   and (:open_only::boolean is false or h.state = 'held')
 order by h.held_at desc, h.id desc;

-- name: held_for_accept
-- One held correction with what applying it needs, locked against a second accept.
select h.id, h.source_id, h.snapshot_id, h.office, h.district, h.party, h.label, h.reasons,
       h.gone, h.state, so.stage_id, so.format, sn.body, coalesce(sn.mapping, so.mapping) as mapping
  from held_corrections h
  join sources so on so.id = h.source_id
  join snapshots sn on sn.id = h.snapshot_id
 where h.id = :id
   for update of h;

-- name: accept_held
-- A person accepts it: the contest is applied from the held snapshot.
update held_corrections
   set state = 'accepted', decided_by = :actor, decided_at = now(), note = :note
 where id = :id and state = 'held';
