-- Named queries of the hooks between domains: which endorsements to match after an import, an
-- edit or an ingest (endorse.figures.auto), and the status guard of a results load.
-- Kept apart from endorsements.sql / results.sql, which their domains edit.

-- name: endorsement_stage
-- The stage an endorsement is in now (read before its row is locked: the matching lock of the
-- stage comes first, see endorse.figures.auto).
select stage_id from endorsements where id = :id;

-- name: import_rows_to_match
-- Rows of this import (temp table import_rows) whose match may change: new endorsements, and
-- updated ones whose name, party or office as typed changed.
select endorsement_id, stage_id
  from import_rows
 where endorsement_id is not null
   and (action = 'created'
        or (action = 'updated'
            and (before ->> 'candidate_name', before ->> 'party', before ->> 'office_typed')
                is distinct from (candidate_name, party, office_typed)));

-- name: last_candidacy_id
-- The newest candidacy id before a load: candidacies above it were created by the load.
select coalesce(max(id), 0) from candidacies;

-- name: grown_contests
-- The contests the load added candidacies to (new contests included): the ballot changed there.
select distinct contest_id
  from candidacies
 where id > :since
   and contest_id = any(:contest_ids::bigint[]);

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

-- name: contest_statuses
-- The status (unofficial, official, certified) each contest already has.
select contest_id, status
  from contest_status
 where contest_id = any(:contest_ids::bigint[]);

-- name: warn_snapshot
-- An applied snapshot that held some contests back: say which and why, for good.
update snapshots set error = :warning where id = :snapshot_id;

-- name: warn_source
-- The same warning on the source, beside its other errors (cleared by its next good poll).
update sources set last_error = :warning, last_error_at = now() where id = :source_id;

-- name: snapshot_mapping
-- The mapping a snapshot is parsed with, kept beside its bytes (reproducing a figure).
update snapshots set mapping = :mapping where id = :snapshot_id;
