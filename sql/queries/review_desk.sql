-- Named queries of the review desk (staff pages, issue 11): the ballot beside each uncertain
-- or missing match, and a match picked by hand. The queue itself is in figures.sql.

-- name: review_contest
-- The contest of a review item's proposed candidacy.
select cd.contest_id
  from match_reviews r
  join candidacies cd on cd.id = r.candidacy_id
 where r.id = :id;

-- name: stage_contests
-- The contests of a stage with their identity, for finding an endorsement's contest.
select id, office, district, party from contests where stage_id = :stage_id order by id;

-- name: contest_candidates
-- Candidacies of some contests with fusion-summed votes and the votes per party line.
select c.id as contest_id, c.office, c.district, c.party as contest_party,
       cs.precincts_reporting, cs.precincts_total,
       ca.id as candidacy_id, ca.ballot_name as name, ca.parties, ca.incumbent, ca.write_in,
       t.votes,
       coalesce((select jsonb_agg(jsonb_build_object('party', l.party, 'votes', l.votes)
                                  order by l.votes desc, l.party)
                   from (select r.party, sum(r.votes)::bigint as votes
                           from results r
                          where r.candidacy_id = ca.id
                          group by r.party) l), '[]'::jsonb) as lines
  from contests c
  join candidacies ca on ca.contest_id = c.id
  join candidacy_totals t on t.candidacy_id = ca.id
  left join contest_status cs on cs.contest_id = c.id
 where c.id = any(:contest_ids::bigint[])
 order by c.id, t.votes desc, ca.ballot_name;

-- name: unmatched_of_stage
-- Live endorsements of a stage not matched and not waiting in the review queue. office and
-- district as matching reads them (see figures.sql stage_endorsements).
select en.id, en.stage_id, en.candidate, en.party, b.name as endorsed_by,
       case when en.district = '' then coalesce(en.office_typed, en.office) else en.office end
           as office,
       en.district
  from endorsements en
  join bodies b on b.id = en.body_id
 where en.stage_id = :stage_id
   and en.deleted_at is null
   and en.candidacy_id is null
   and not exists (select 1 from match_reviews r
                    where r.endorsement_id = en.id and r.status = 'open')
 order by en.office, en.district, en.candidate, en.id;

-- name: endorsement_for_pick
-- One live endorsement, locked, as matching reads it.
select en.id, en.stage_id, en.candidate, en.party, en.candidacy_id, en.match_method,
       case when en.district = '' then coalesce(en.office_typed, en.office) else en.office end
           as office,
       en.district, s.kind as stage
  from endorsements en
  join stages s on s.id = en.stage_id
 where en.id = :id and en.deleted_at is null
   for update of en;

-- name: open_review_of
-- The open review item of an endorsement, if any.
select id, candidacy_id from match_reviews where endorsement_id = :id and status = 'open';
