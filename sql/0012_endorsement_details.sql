-- Endorsements as staff read them: election slug, stage kind and day, the body's name and the
-- root body it counts as. Reads and exports select from here so the joins are written once.

create view endorsement_details as
select e.*,
       el.slug        as election,
       el.election_date,
       s.kind         as stage,
       s.election_day,
       b.name         as endorsed_by,
       rb.name        as counts_as
  from endorsements e
  join stages s     on s.id = e.stage_id
  join elections el on el.id = s.election_id
  join bodies b     on b.id = e.body_id
  left join body_roots r on r.body_id = b.id
  left join bodies rb    on rb.id = r.root_id;
