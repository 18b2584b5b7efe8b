-- Who may see a stage's endorsements: private (staff only) or public (announced).

-- name: stage_visibility
-- Each stage of an election with its visibility; none when the slug is unknown.
select s.id, s.kind, s.visibility
  from stages s
  join elections e on e.id = s.election_id
 where e.slug = :slug
 order by s.election_day, s.kind;

-- name: lock_stage_visibility
-- One stage's visibility, locked for a change.
select s.id, s.visibility
  from stages s
  join elections e on e.id = s.election_id
 where e.slug = :slug and s.kind = :kind
   for update of s;

-- name: set_stage_visibility
-- Switch a stage private or public.
update stages set visibility = :visibility where id = :id;
