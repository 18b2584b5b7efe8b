-- Named queries of the check-then-import flow of the staff pages (sql/0045).

-- name: prune_checked
-- Forget checks older than a day (their bytes are working state, not a record).
delete from checked_imports where checked_at < now() - interval '1 day';

-- name: insert_checked
-- Keep one checked file with what its check reported.
insert into checked_imports (id, sha256, body, filename, content_type, mapping, late_ok,
                             plan, report, file_error, checked_by)
values (:id, :sha256, :body, :filename, :content_type, :mapping, :late_ok,
        :plan, :report, :file_error, :actor);

-- name: checked_by_id
-- One checked file, without its bytes.
select id, sha256, filename, content_type, mapping, late_ok, plan, report, file_error,
       checked_by, checked_at, applied_at, applied_by, applied_report, length(body) as size
  from checked_imports
 where id = :id;

-- name: checked_for_apply
-- One checked file with its bytes, locked so two clicks cannot apply it twice.
select id, sha256, body, content_type, mapping, late_ok, plan, report, applied_at, applied_by
  from checked_imports
 where id = :id
   for update;

-- name: mark_checked_applied
-- The file was imported.
update checked_imports
   set applied_at = now(), applied_by = :actor, applied_report = :report
 where id = :id;

-- name: import_targets
-- The values an import compares and writes, of the live endorsements a file names; locked
-- when applying so they cannot change between this read and the import's own lock.
select id, candidate, party, endorsed_on, notes, late_ok, office_typed,
       rescinded_on, rescind_reason, deleted_at
  from endorsements
 where id = any(:ids::bigint[])
 order by id;

-- name: lock_import_targets
-- The same rows, locked.
select id, candidate, party, endorsed_on, notes, late_ok, office_typed,
       rescinded_on, rescind_reason, deleted_at
  from endorsements
 where id = any(:ids::bigint[])
 order by id
   for update;

-- name: checked_body
-- The bytes of one checked file, for showing its rows beside the report.
select body, content_type, mapping from checked_imports where id = :id;
