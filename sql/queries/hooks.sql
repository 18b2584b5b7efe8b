-- Named queries of a results load's bookkeeping: which contests the load grew (so matching
-- looks at them again), the status guard, and the warnings a quarantine leaves.

-- name: last_candidacy_id
-- The newest candidacy id before a load: candidacies above it were created by the load.
select coalesce(max(id), 0) from candidacies;

-- name: grown_contests
-- The contests the load added candidacies to (new contests included): the ballot changed there.
select distinct contest_id
  from candidacies
 where id > :since
   and contest_id = any(:contest_ids::bigint[]);

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
