-- Endorsement registry: reads through the endorsement_details view, writes to endorsements
-- (whose triggers keep the versions). The identity of an endorsement is
-- (stage_id, body_id, office, district, candidate_key) among rows not deleted.

-- name: stage_by_slug
-- A stage of an election with its day: stage_id null when the election has no such stage.
select e.id as election_id, s.id as stage_id, s.election_day
  from elections e
  left join stages s on s.election_id = e.id and s.kind = :kind
 where e.slug = :slug;

-- name: stages_for_slugs
-- Every stage of the named elections (one query for a whole import file).
select e.slug, s.kind, s.id as stage_id, s.election_day
  from elections e
  left join stages s on s.election_id = e.id
 where e.slug = any(:slugs::text[]);

-- name: election_exists
-- Whether an election slug is known.
select exists (select 1 from elections where slug = :slug);

-- name: endorsement_by_id
-- One live endorsement, as the API shows it (a jsonb image of the details row).
select to_jsonb(d) - 'candidate_key' as row
  from endorsement_details d
 where d.id = :id and d.deleted_at is null;

-- name: lock_endorsement
-- Lock a live endorsement for an edit; returns its current version.
select version
  from endorsements
 where id = :id and deleted_at is null
   for update;

-- name: identity_holder
-- The live endorsement that already has this identity, if any.
select id
  from endorsements
 where stage_id = :stage_id and body_id = :body_id and office = :office
   and district = :district
   and candidate_key = lower(regexp_replace(btrim(:candidate::text), '\s+', ' ', 'g'))
   and deleted_at is null;

-- name: insert_endorsement
-- Create an endorsement unless its identity is taken; returns the id only when created.
insert into endorsements (stage_id, body_id, office, office_typed, district, candidate,
                          party, endorsed_on, notes, late_ok, created_by, updated_by)
values (:stage_id, :body_id, :office, :office_typed, :district, :candidate,
        :party, :endorsed_on, :notes, :late_ok, :actor, :actor)
    on conflict (stage_id, body_id, office, district, candidate_key)
       where deleted_at is null
       do nothing
returning id;

-- name: update_endorsement
-- Replace the editable fields; the trigger bumps the version only if something changed.
update endorsements
   set stage_id = :stage_id, body_id = :body_id, office = :office, office_typed = :office_typed,
       district = :district, candidate = :candidate, party = :party,
       endorsed_on = :endorsed_on, notes = :notes, late_ok = :late_ok,
       rescinded_on = :rescinded_on, rescind_reason = :rescind_reason, updated_by = :actor
 where id = :id
returning version;

-- name: soft_delete_endorsement
-- Mark deleted; the row and its history stay.
update endorsements
   set deleted_at = now(), updated_by = :actor
 where id = :id and deleted_at is null;

-- name: body_and_descendants
-- A body (by name, any case) and every body under it; null when no body has that name.
with recursive down as (
    select id from bodies where lower(name) = lower(:name)
    union
    select b.id from bodies b join down on b.parent_id = down.id
)
select array_agg(id) from down;

-- name: list_endorsements
-- One page of live endorsements matching the filters (null filter = any), and the total.
-- With :with_outcome each row carries its outcome for its stage (figure_endorsements; null when
-- it does not count, e.g. dated on/after election day), and :outcome filters on it.
with filtered as (
    select d.*
      from endorsement_details d
     where d.deleted_at is null
       and (:election::text is null or d.election = :election)
       and (:stage::text is null or d.stage = :stage)
       and (:office::text is null or d.office = :office)
       and (:offices::text[] is null or d.office = any(:offices))
       and (:body_ids::bigint[] is null or d.body_id = any(:body_ids))
       and (:matched::boolean is null or (d.candidacy_id is not null) = :matched)
       and (:rescinded::boolean is null or (d.rescinded_on is not null) = :rescinded)
       and (:candidate::text is null or strpos(d.candidate_key, lower(:candidate)) > 0)
),
outcomes as materialized (
    -- skipped entirely (a one-time filter) unless asked for: the API list does not pay for it
    select fe.endorsement_id, fe.outcome
      from figure_endorsements(array(select distinct stage_id from filtered)) fe
     where :with_outcome::boolean
),
chosen as (
    select f.*, o.outcome
      from filtered f
      left join outcomes o on o.endorsement_id = f.id
     where (:outcome::text is null or coalesce(o.outcome, 'NOT_COUNTED') = :outcome)
)
select (select count(*) from chosen) as total,
       coalesce((select jsonb_agg(to_jsonb(p) - 'candidate_key' order by p.id)
                   from (select * from chosen order by id limit :limit offset :offset) p),
                '[]'::jsonb) as items;

-- name: stage_offices
-- The distinct canonical offices endorsed in an election (and stage), for the level filter.
select distinct d.office
  from endorsement_details d
 where d.deleted_at is null
   and (:election::text is null or d.election = :election)
   and (:stage::text is null or d.stage = :stage);

-- name: endorsement_history
-- Every version of an endorsement, oldest first (deleted ones too).
select version, op, changed_by, changed_at, data - 'candidate_key' as data
  from endorsement_versions
 where endorsement_id = :id
 order by version;

-- name: export_endorsements
-- Live endorsements in the import file's columns, in a stable order; `version` lets an import
-- of this file see the edits made after it was exported.
select election, stage, office, district, candidate, party, endorsed_by, endorsed_on,
       notes, late_ok, rescinded_on, rescind_reason, incumbent, version
  from endorsement_details
 where deleted_at is null
   and (:election::text is null or election = :election)
 order by election_date, election, stage, office, district, candidate_key, endorsed_by, id;

-- Import: the file's checked rows are COPYed into import_rows, then merged set-based.

-- name: create_import_table
-- Staging for one import; dropped when the transaction ends (commit or rollback).
create temp table import_rows (
    row_no          int primary key,
    stage_id        bigint not null,
    body_name       text not null,
    office          text not null,
    office_typed    text not null,
    district        text not null,
    candidate  text not null,
    party           text not null,
    endorsed_on     date not null,
    notes           text not null,
    late_ok         boolean not null,
    set_rescind     boolean not null,   -- the file has rescission columns: they are the truth
    rescinded_on    date,
    rescind_reason  text,
    version         int,                -- the endorsement's version when the file was exported
    set_incumbent   boolean not null,   -- the file has an incumbent column: it is the truth
    incumbent       boolean,
    body_id         bigint,
    candidate_key   text generated always as
                    (lower(regexp_replace(btrim(candidate), '\s+', ' ', 'g'))) stored,
    endorsement_id  bigint,
    action          text,
    before          jsonb
) on commit drop;

-- name: analyze_import_table
-- Temporary tables get no statistics from autovacuum; without them the merge below plans
-- nested loops over 5,000 x 5,000 rows.
analyze import_rows;

-- name: import_missing_bodies
-- Body names in the file that no body has yet (any case); the first spelling in the file wins.
select distinct on (lower(body_name)) body_name
  from import_rows r
 where not exists (select 1 from bodies b where lower(b.name) = lower(r.body_name))
 order by lower(body_name), row_no;

-- name: import_resolve_bodies
-- Point each staged row at its body.
update import_rows r
   set body_id = b.id
  from bodies b
 where lower(b.name) = lower(r.body_name);

-- name: import_duplicates
-- Rows that name the same endorsement as an earlier row of the file.
select row_no, first_row
  from (select row_no,
               min(row_no) over (partition by stage_id, body_id, office, district,
                                              candidate_key) as first_row
          from import_rows) t
 where row_no <> first_row
 order by row_no;

-- name: import_lock_targets
-- Lock the live endorsements the file names, so the comparison below stays true until commit.
select e.id
  from endorsements e
  join import_rows r
    on (e.stage_id, e.body_id, e.office, e.district, e.candidate_key)
     = (r.stage_id, r.body_id, r.office, r.district, r.candidate_key)
 where e.deleted_at is null
   for update of e;

-- name: import_link_existing
-- Each row's live endorsement with the same identity, if any (a plain two-table join, so the
-- planner can hash it; through the view it walked the stage index row by row).
update import_rows r
   set endorsement_id = e.id
  from endorsements e
 where (e.stage_id, e.body_id, e.office, e.district, e.candidate_key)
     = (r.stage_id, r.body_id, r.office, r.district, r.candidate_key)
   and e.deleted_at is null;

-- name: import_stale_versions
-- Rows exported before a later edit, rescission or deletion of their endorsement: importing
-- them would silently undo it. Rows without a version (hand-made files) are not compared.
-- Two plain joins (live by id, deleted by identity), so the planner can hash each.
select r.row_no, r.version as file_version, e.version as stored_version, e.updated_by,
       e.updated_at, e.rescinded_on, e.deleted_at
  from import_rows r
  join endorsements e on e.id = r.endorsement_id
 where r.version is not null and e.version > r.version
union all
select distinct on (r.row_no)
       r.row_no, r.version, e.version, e.updated_by, e.updated_at, e.rescinded_on, e.deleted_at
  from import_rows r
  join endorsements e
    on (e.stage_id, e.body_id, e.office, e.district, e.candidate_key)
     = (r.stage_id, r.body_id, r.office, r.district, r.candidate_key)
 where r.version is not null and r.endorsement_id is null
   and e.deleted_at is not null and e.version > r.version
 order by 1;

-- name: import_classify
-- Rows with a live endorsement are 'updated' when a value differs, else 'unchanged'.
update import_rows r
   set before = to_jsonb(d) - 'candidate_key',
       action = case
           when (d.candidate, d.party, d.endorsed_on, d.notes, d.late_ok)
                is not distinct from
                (r.candidate, r.party, r.endorsed_on, r.notes, r.late_ok)
            and (not r.set_rescind
                 or (d.rescinded_on, d.rescind_reason)
                    is not distinct from (r.rescinded_on, r.rescind_reason))
            and (not r.set_incumbent or d.incumbent is not distinct from r.incumbent)
           then 'unchanged'
           else 'updated'
       end
  from endorsement_details d
 where d.id = r.endorsement_id;

-- name: import_mark_created
-- Rows with no live endorsement of their identity are new.
update import_rows set action = 'created' where action is null;

-- name: import_insert
-- Create the new endorsements (the trigger writes version 1 of each).
insert into endorsements (stage_id, body_id, office, office_typed, district, candidate,
                          party, endorsed_on, notes, late_ok, rescinded_on, rescind_reason,
                          incumbent, created_by, updated_by)
select stage_id, body_id, office, office_typed, district, candidate,
       party, endorsed_on, notes, late_ok, rescinded_on, rescind_reason,
       incumbent, :actor, :actor
  from import_rows
 where action = 'created'
 order by row_no;

-- name: import_link_created
-- The ids of the endorsements just created.
update import_rows r
   set endorsement_id = e.id
  from endorsements e
 where r.action = 'created'
   and (e.stage_id, e.body_id, e.office, e.district, e.candidate_key)
     = (r.stage_id, r.body_id, r.office, r.district, r.candidate_key)
   and e.deleted_at is null;

-- name: import_update
-- Apply the changed rows; rescission only when the file has those columns.
update endorsements e
   set candidate = r.candidate, party = r.party, endorsed_on = r.endorsed_on,
       notes = r.notes, late_ok = r.late_ok, office_typed = r.office_typed,
       rescinded_on = case when r.set_rescind then r.rescinded_on else e.rescinded_on end,
       rescind_reason = case when r.set_rescind then r.rescind_reason else e.rescind_reason end,
       incumbent = case when r.set_incumbent then r.incumbent else e.incumbent end,
       updated_by = :actor
  from import_rows r
 where r.action = 'updated' and e.id = r.endorsement_id;

-- name: import_audit
-- One audit row per endorsement written, with before and after images.
insert into audit_log (actor, action, entity, entity_id, before, after)
select :actor,
       case r.action when 'created' then 'endorsement.create' else 'endorsement.update' end,
       'endorsements', r.endorsement_id::text, r.before, to_jsonb(d) - 'candidate_key'
  from import_rows r
  join endorsement_details d on d.id = r.endorsement_id
 where r.action in ('created', 'updated')
 order by r.row_no;

-- name: import_outcome
-- What happened to each staged row.
select row_no, action, endorsement_id from import_rows order by row_no;
