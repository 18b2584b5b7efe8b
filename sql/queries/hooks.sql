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
-- The status (unofficial, official, certified) each contest already has, the source whose
-- numbers it holds (and that source's format), and whether another source's totals are kept
-- for it (sql/0081).
select cs.contest_id, cs.status, cs.source_id, so.format,
       exists (select 1 from source_contest_totals t where t.contest_id = cs.contest_id)
           as compared
  from contest_status cs
  left join sources so on so.id = cs.source_id
 where cs.contest_id = any(:contest_ids::bigint[]);

-- name: source_format
-- The format of the source a load comes from.
select format from sources where id = :source_id;

-- name: stored_totals
-- The candidate totals the results hold for some contests, by spelling key (zeros left out).
select cd.contest_id, ca.name_key, sum(r.votes)::bigint as votes
  from candidacies cd
  join candidates ca on ca.id = cd.candidate_id
  join results r on r.candidacy_id = cd.id
 where cd.contest_id = any(:contest_ids::bigint[])
 group by cd.contest_id, ca.name_key
having sum(r.votes) > 0;

-- name: keep_source_totals
-- What each source says about a contest it carries (sql/0081); unchanged rows are not written.
insert into source_contest_totals as t (contest_id, source_id, status, totals)
select x.contest_id, x.source_id, x.status, x.totals::jsonb
  from unnest(:contest_ids::bigint[], :source_ids::bigint[], :statuses::text[],
              :totals::text[]) as x(contest_id, source_id, status, totals)
    on conflict (contest_id, source_id) do update
   set status = excluded.status, totals = excluded.totals, updated_at = now()
 where (t.status, t.totals) is distinct from (excluded.status, excluded.totals);

-- name: warn_snapshot
-- An applied snapshot that held some contests back: say which and why, for good.
update snapshots set error = :warning where id = :snapshot_id;

-- name: warn_source
-- The same warning on the source, beside its other errors (cleared by its next good poll).
update sources set last_error = :warning, last_error_at = now() where id = :source_id;

-- name: snapshot_mapping
-- The mapping a snapshot is parsed with, kept beside its bytes (reproducing a figure).
update snapshots set mapping = :mapping where id = :snapshot_id;
