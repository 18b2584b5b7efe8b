-- name: election_id
-- The id of an election by slug, or null.
select id from elections where slug = :slug;

-- name: insert_election
-- Create an election; returns its id.
insert into elections (slug, name, jurisdiction, election_date, demo, replay_of)
values (:slug, :name, :jurisdiction, :election_date, :demo, :replay_of)
returning id;

-- name: insert_stage
-- Add one stage (primary, general, ...) to an election.
insert into stages (election_id, kind, election_day)
values (:election_id, :kind, :election_day);

-- name: election_by_slug
-- One election with its stages in day order.
select e.id, e.slug, e.name, e.jurisdiction, e.election_date, e.demo,
       (select slug from elections r where r.id = e.replay_of) as replay_of,
       (select jsonb_agg(jsonb_build_object('kind', s.kind, 'election_day', s.election_day)
                         order by s.election_day, s.kind)
          from stages s
         where s.election_id = e.id) as stages
  from elections e
 where e.slug = :slug;

-- name: list_elections
-- All elections, newest first, with their stages.
select e.id, e.slug, e.name, e.jurisdiction, e.election_date, e.demo,
       (select slug from elections r where r.id = e.replay_of) as replay_of,
       (select jsonb_agg(jsonb_build_object('kind', s.kind, 'election_day', s.election_day)
                         order by s.election_day, s.kind)
          from stages s
         where s.election_id = e.id) as stages
  from elections e
 order by e.election_date desc, e.slug;

-- name: stage_id
-- A stage of an election: election_id null when the slug is unknown, stage_id null when the
-- election has no such stage.
select e.id as election_id, s.id as stage_id
  from elections e
  left join stages s on s.election_id = e.id and s.kind = :kind
 where e.slug = :slug;
