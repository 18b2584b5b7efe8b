-- Named queries of name matching (endorse.matching): the ballot and endorsements of a stage,
-- the nicknames, the review queue and the decisions people made; and which endorsements to
-- match again after an import, an edit or an ingest (endorse.matching.auto).

-- name: lock_stage_matching
-- One matcher per stage at a time (released at commit).
select pg_advisory_xact_lock(1718183012, :stage_id::int);

-- name: stage_of
-- A stage's kind (primary, general, ...) and its election's slug; no row when unknown.
select s.kind, e.slug
  from stages s
  join elections e on e.id = s.election_id
 where s.id = :stage_id;

-- name: election_stages
-- The stages of an election in day order; no rows when the slug is unknown.
select s.id, s.kind
  from elections e
  join stages s on s.election_id = e.id
 where e.slug = :slug
 order by s.election_day, s.kind;

-- name: stage_ballot
-- Every candidacy on a stage's ballot with its contest identity, for matching.
select c.id as contest_id, c.office, c.district, c.party,
       cd.id as candidacy_id, cd.ballot_name, cd.write_in
  from contests c
  join candidacies cd on cd.contest_id = c.id
 where c.stage_id = :stage_id
 order by cd.id;

-- name: stage_endorsements
-- The live endorsements of a stage as matching sees them. office and district are stored as
-- endorse.vocab.contest_identity gives them; rows written before that rule took the town of
-- "Board of Education - Darien" into the district have district '' and the town only in
-- office_typed, so for them the office as typed is read (matching applies the rule again).
select id, case when district = '' then coalesce(office_typed, office) else office end as office,
       district, party, candidate, candidacy_id, match_method
  from endorsements
 where stage_id = :stage_id and deleted_at is null
 order by id;

-- name: nicknames
-- The whole nickname table (small).
select nickname, given from nicknames;

-- name: decisions_for_offices
-- Remembered confirmations and rejections for the offices on a ballot.
select typed_key, ballot_key, office, district, decision
  from match_decisions
 where office = any(:offices::text[]);

-- name: open_reviews_of_stage
-- Open review items of a stage's endorsements.
select r.id, r.endorsement_id, r.candidacy_id
  from match_reviews r
  join endorsements en on en.id = r.endorsement_id
 where en.stage_id = :stage_id and r.status = 'open';

-- name: set_match
-- Point an endorsement at a candidacy (or at none); the registry's trigger versions the row.
update endorsements
   set candidacy_id = :candidacy_id, match_method = :method, updated_by = :actor
 where id = :id;

-- name: set_matches
-- set_match for many endorsements in one statement (a matcher run's changes, at its end).
update endorsements e
   set candidacy_id = t.candidacy_id, match_method = t.method, updated_by = :actor
  from unnest(:ids::bigint[], :candidacy_ids::bigint[], :methods::text[])
       as t(id, candidacy_id, method)
 where e.id = t.id;

-- name: insert_review
-- Queue an uncertain match for a person.
insert into match_reviews (endorsement_id, candidacy_id, score, candidate, ballot_name)
values (:endorsement_id, :candidacy_id, :score, :candidate, :ballot_name)
returning id;

-- name: close_review
-- Close an open review item (confirmed, rejected or stale).
update match_reviews
   set status = :status, decided_at = now(), decided_by = :actor
 where id = :id and status = 'open';

-- name: list_reviews
-- Review items with what a person needs to decide, newest first (filters optional).
select r.id, r.endorsement_id, r.candidacy_id, r.score, r.candidate, r.ballot_name,
       r.status, r.created_at, r.decided_at, r.decided_by,
       e.slug as election, s.kind as stage, c.office, c.district, cd.parties
  from match_reviews r
  join endorsements en on en.id = r.endorsement_id
  join stages s on s.id = en.stage_id
  join elections e on e.id = s.election_id
  join candidacies cd on cd.id = r.candidacy_id
  join contests c on c.id = cd.contest_id
 where (:status::text is null or r.status = :status)
   and (:election::text is null or e.slug = :election)
   and (:id::bigint is null or r.id = :id)
 order by r.id desc
 limit :limit;

-- name: review_for_update
-- One review item with its endorsement and contest, locked for a decision.
select r.id, r.endorsement_id, r.candidacy_id, r.status, r.candidate, r.ballot_name,
       en.candidacy_id as current_candidacy_id, en.match_method, en.deleted_at,
       c.office, c.district
  from match_reviews r
  join endorsements en on en.id = r.endorsement_id
  join candidacies cd on cd.id = r.candidacy_id
  join contests c on c.id = cd.contest_id
 where r.id = :id
   for update of r, en;

-- name: remember_decision
-- Remember a person's decision for every later run (latest decision wins).
insert into match_decisions (typed_key, ballot_key, office, district, decision, decided_by)
values (:typed_key, :ballot_key, :office, :district, :decision, :actor)
    on conflict (typed_key, ballot_key, office, district) do update
   set decision = excluded.decision, decided_by = excluded.decided_by, decided_at = now();

-- name: endorsement_stage
-- The stage an endorsement is in now (read before its row is locked: the matching lock of the
-- stage comes first, see endorse.matching.auto).
select stage_id from endorsements where id = :id;

-- name: import_rows_to_match
-- Rows of this import (temp table import_rows) whose match may change: new endorsements, and
-- updated ones whose name, party or office as typed changed.
select endorsement_id, stage_id
  from import_rows
 where endorsement_id is not null
   and (action = 'created'
        or (action = 'updated'
            and (before ->> 'candidate', before ->> 'party', before ->> 'office_typed')
                is distinct from (candidate, party, office_typed)));

-- name: endorsements_to_rematch
-- The stage's endorsements a ballot change can affect: the ones not matched (or waiting for a
-- person), and the automatic matches in the contests that grew. Matches in other contests and
-- matches a person made cannot change, so they are not decided again.
select e.id
  from endorsements e
  left join candidacies ca on ca.id = e.candidacy_id
 where e.stage_id = :stage_id
   and e.deleted_at is null
   and (e.candidacy_id is null
        or (e.match_method = 'auto' and ca.contest_id = any(:contest_ids::bigint[])));
