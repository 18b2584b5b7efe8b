-- name: insert_contest
-- Create a contest unless its canonical identity exists; returns the id only when created.
insert into contests (stage_id, office, level, district, party, seats, party_cap, source_office)
values (:stage_id, :office, :level, :district, :party, :seats, :party_cap, :source_office)
    on conflict (stage_id, office, district, party) do nothing
returning id;

-- name: contest_row
-- A contest by canonical identity, with what upsert may change.
select id, seats, party_cap, level
  from contests
 where stage_id = :stage_id and office = :office and district = :district and party = :party;

-- name: update_contest_shape
-- Seats, party cap and level as the latest writer states them.
update contests
   set seats = :seats, party_cap = :party_cap, level = :level
 where id = :id;

-- name: contest_id
-- The id of a contest by canonical identity, or null.
select id
  from contests
 where stage_id = :stage_id and office = :office and district = :district and party = :party;

-- name: upsert_candidate
-- Find or create a candidate by name key; returns its id.
with found as (
    select id from candidates where name_key = :key
), made as (
    insert into candidates (name, name_key)
    select :name, :key
     where not exists (select 1 from found)
        on conflict (name_key) do nothing
    returning id
)
select id from found
union all
select id from made
union all
select id from candidates where name_key = :key
 limit 1;

-- name: upsert_candidacy
-- Find or create a candidacy; party lines merged by merge_party_lines (sql/functions/ballot.sql).
insert into candidacies (contest_id, candidate_id, ballot_name, parties, incumbent, write_in)
values (:contest_id, :candidate_id, :ballot_name, :parties, :incumbent, :write_in)
    on conflict (contest_id, candidate_id) do update
   set parties   = merge_party_lines(candidacies.parties, excluded.parties),
       incumbent = candidacies.incumbent or excluded.incumbent
returning id;

-- name: contest_by_id
-- A contest's stored identity (canonical office, level, normalized district).
select office, level, district from contests where id = :id;
