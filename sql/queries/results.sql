-- Official results: ingestion (stage context, set-based upserts, the guarded merge), sources
-- and snapshots bookkeeping, and the public reads.

-- name: stage_context
-- The election slug and stage kind a load writes into, and which server and database hold it
-- (what a process remembers of a load is kept apart per database: endorse.results.delta).
select s.kind, e.slug, e.id as election_id,
       extract(epoch from pg_postmaster_start_time())::float8 as server_started,
       (select d.oid::bigint from pg_database d where d.datname = current_database()) as database
  from stages s
  join elections e on e.id = s.election_id
 where s.id = :stage_id;

-- name: lock_stage
-- Loads into one stage take turns (held to commit): concurrent merges of overlapping rows
-- would otherwise deadlock or race on new contests.
select pg_advisory_xact_lock(:lock_class, :stage_id::int);

-- name: stage_contest_hashes
-- Every contest of the stage with the content hash of its last load.
select c.id, c.office, c.district, c.party, cs.content_hash
  from contests c
  left join contest_status cs on cs.contest_id = c.id
 where c.stage_id = :stage_id;

-- name: previous_contest_count
-- How many contests the source's last applied payload held (null: never applied).
select sn.contests
  from sources so
  join snapshots sn on sn.id = so.last_snapshot_id
 where so.id = :source_id;

-- name: contest_totals
-- Current total votes per contest, over every candidacy, party line and unit.
select ca.contest_id, sum(r.votes)::bigint as votes
  from candidacies ca
  join results r on r.candidacy_id = ca.id
 where ca.contest_id = any(:contest_ids::bigint[])
 group by ca.contest_id;

-- name: upsert_contests
-- Create missing contests; a feed states seats only when it says vote-for-N above 1 (1 is also
-- every feed's default) and never downgrades a known level to 'other'. Returns rows it wrote.
insert into contests as c (stage_id, office, district, party, level, seats, source_office)
select :stage_id, t.office, t.district, t.party, t.level, t.seats, t.source_office
  from unnest(:offices::text[], :districts::text[], :parties::text[], :levels::text[],
              :seats::int[], :source_offices::text[])
       as t(office, district, party, level, seats, source_office)
    on conflict (stage_id, office, district, party) do update
   set seats = case when excluded.seats > 1 then excluded.seats else c.seats end,
       level = case when excluded.level = 'other' then c.level else excluded.level end
 where (excluded.seats > 1 and excluded.seats <> c.seats)
    or (excluded.level <> 'other' and excluded.level <> c.level)
returning c.id, c.office, c.district, c.party;

-- name: contest_ids
-- Contests of the stage by canonical identity.
select c.id, c.office, c.district, c.party
  from contests c
  join unnest(:offices::text[], :districts::text[], :parties::text[]) as t(office, district, party)
       on (c.office, c.district, c.party) = (t.office, t.district, t.party)
 where c.stage_id = :stage_id;

-- name: insert_candidates
-- Candidates by name key; existing ones are left as they are.
insert into candidates (name, name_key)
select * from unnest(:names::text[], :keys::text[])
    on conflict (name_key) do nothing;

-- name: candidate_ids
-- Candidate ids by name key.
select id, name_key from candidates where name_key = any(:keys::text[]);

-- name: upsert_candidacies
-- Candidacies of changed contests. Party lines merged by merge_party_lines (functions/ballot.sql);
-- incumbent and write-in are only ever added (a feed without markers says nothing); a
-- declared winner is replaced only when the source states one. Unchanged rows are not written.
insert into candidacies as ca
       (contest_id, candidate_id, ballot_name, parties, incumbent, write_in, declared_winner)
select t.contest_id, t.candidate_id, t.ballot_name,
       coalesce(string_to_array(nullif(t.parties, ''), chr(31)), '{}'),
       t.incumbent, t.write_in, t.winner
  from unnest(:contest_ids::bigint[], :candidate_ids::bigint[], :ballot_names::text[],
              :parties::text[], :incumbents::bool[], :write_ins::bool[], :winners::bool[])
       as t(contest_id, candidate_id, ballot_name, parties, incumbent, write_in, winner)
    on conflict (contest_id, candidate_id) do update
   set parties         = merge_party_lines(ca.parties, excluded.parties),
       incumbent       = ca.incumbent or excluded.incumbent,
       write_in        = ca.write_in or excluded.write_in,
       declared_winner = coalesce(excluded.declared_winner, ca.declared_winner)
 where not excluded.parties <@ ca.parties
    or (excluded.incumbent and not ca.incumbent)
    or (excluded.write_in and not ca.write_in)
    or (excluded.declared_winner is not null
        and excluded.declared_winner is distinct from ca.declared_winner);

-- name: candidacy_ids
-- Candidacy ids of the given contests.
select id, contest_id, candidate_id
  from candidacies
 where contest_id = any(:contest_ids::bigint[]);

-- name: settled_candidacies
-- The candidacies of contests the load already knows, with what the contest and candidacy
-- upserts compare (endorse.results.identity.settled): where every one already says what the
-- payload says, those upserts would write nothing, and their ids are read instead.
select c.id as contest_id, c.seats, c.level, ca.id, cd.name_key, ca.parties, ca.incumbent,
       ca.write_in, ca.declared_winner
  from contests c
  join candidacies ca on ca.contest_id = c.id
  join candidates cd on cd.id = ca.candidate_id
 where c.id = any(:contest_ids::bigint[]);

-- name: create_stage_table
-- The staging table COPY fills; private to this session and dropped at commit.
create temp table if not exists results_stage (
    candidacy_id  bigint not null,
    party         text not null,
    unit          text not null,
    votes         bigint not null
) on commit drop;

-- name: clear_stage_table
-- Empty the staging table (a second load in the same transaction).
truncate results_stage;

-- name: update_results
-- Stored rows whose votes changed (the load compared them): the staged numbers replace them
-- (sql/functions/results_merge.sql); returns how many. New rows never pass here: they are
-- COPYed straight into results (ingest._merge).
select results_apply_staged(:snapshot_id::bigint);

-- name: contest_results
-- The stored rows of some contests: a load compares its payload with them and writes the
-- difference.
select r.candidacy_id, r.party, r.unit, r.votes
  from results r
  join candidacies ca on ca.id = r.candidacy_id
 where ca.contest_id = any(:contest_ids::bigint[]);

-- name: delete_results
-- Rows of a changed contest that its new payload no longer has (a corrected line or unit).
delete from results r
 using unnest(:candidacy_ids::bigint[], :parties::text[], :units::text[]) as t(c, p, u)
 where (r.candidacy_id, r.party, r.unit) = (t.c, t.p, t.u);

-- name: upsert_contest_status
-- Reporting state of changed contests, with the hash that lets the next load skip them.
insert into contest_status as cs
       (contest_id, precincts_reporting, precincts_total, status, as_of, source_id,
        snapshot_id, content_hash, updated_at)
select t.contest_id, t.reporting, t.total, t.status, coalesce(:as_of, now()), :source_id,
       :snapshot_id, t.hash, now()
  from unnest(:contest_ids::bigint[], :reporting::int[], :totals::int[], :statuses::text[],
              :hashes::bytea[])
       as t(contest_id, reporting, total, status, hash)
    on conflict (contest_id) do update
   set precincts_reporting = excluded.precincts_reporting,
       precincts_total     = excluded.precincts_total,
       status              = excluded.status,
       as_of               = excluded.as_of,
       source_id           = excluded.source_id,
       snapshot_id         = excluded.snapshot_id,
       content_hash        = excluded.content_hash,
       updated_at          = excluded.updated_at
 where cs.content_hash is distinct from excluded.content_hash;

-- name: count_snapshot
-- What a snapshot's payload held, for the next load's shrink guard.
update snapshots set contests = :contests, records = :records where id = :snapshot_id;

-- name: notify
-- One notification per ingest; delivered at commit.
select pg_notify(:channel, :payload);

-- name: insert_source
-- Register a source; null when one with the same stage, format and URL exists.
insert into sources (stage_id, format, url, mapping, schedule_seconds, enabled)
values (:stage_id, :format, :url, :mapping, :schedule_seconds, :enabled)
    on conflict (stage_id, format, url) do nothing
returning id;

-- name: source_id
-- A source by its identity.
select id from sources where stage_id = :stage_id and format = :format and url = :url;

-- name: update_source_mapping
-- A one-off load may bring a new mapping for an existing source.
update sources set mapping = :mapping where id = :id and mapping is distinct from :mapping;

-- name: list_sources
-- Sources with their state: of one election, or one source, or (both null) all.
select so.id, e.slug as election, st.kind as stage, so.format, so.url, so.mapping,
       so.schedule_seconds, so.enabled, so.last_version, so.last_checked_at,
       so.last_success_at, so.last_error, so.last_error_at,
       la.as_of, la.fetched_at as last_applied_at,
       qs.id as quarantined_snapshot_id, qs.error as quarantine_error,
       qs.fetched_at as quarantined_at,
       (select count(*) from held_corrections h
         where h.source_id = so.id and h.state = 'held')::int as held_corrections
  from sources so
  join stages st on st.id = so.stage_id
  join elections e on e.id = st.election_id
  left join snapshots la on la.id = so.last_snapshot_id
  left join snapshots qs on qs.id = so.quarantined_snapshot_id
 where (:slug::text is null or e.slug = :slug)
   and (:id::bigint is null or so.id = :id)
 order by e.election_date desc, e.slug, st.election_day, so.id;

-- name: enabled_sources
-- What the worker schedules: every enabled source and its interval.
select id, schedule_seconds from sources where enabled order by id;

-- name: try_lock_source
-- Claim a source for one poll (session lock: held across the fetch, which is no transaction).
select pg_try_advisory_lock(:lock_class, :source_id::int);

-- name: unlock_source
-- Release the claim.
select pg_advisory_unlock(:lock_class, :source_id::int);

-- name: source_for_poll
-- Everything one poll needs; `due` is false when another worker checked it within half its
-- interval, so workers on staggered clocks do not fetch the same source twice per interval.
select so.id, so.stage_id, so.format, so.url, so.mapping, so.schedule_seconds, so.enabled,
       so.etag, so.last_modified, so.last_version, so.last_hash,
       so.quarantined_snapshot_id, qs.sha256 as quarantined_hash,
       ls.version as applied_version, ls.as_of as applied_as_of,
       (so.last_checked_at is null
        or so.last_checked_at <= now() - make_interval(secs => so.schedule_seconds / 2.0)) as due,
       case when so.retry_not_before > now() then so.retry_not_before end as retry_not_before
  from sources so
  left join snapshots qs on qs.id = so.quarantined_snapshot_id
  left join snapshots ls on ls.id = so.last_snapshot_id  -- what time-runs-forward compares with
 where so.id = :source_id;

-- name: mark_checked
-- A poll that found nothing new (304, same version, same bytes): remember the validators.
update sources
   set last_checked_at = now(), last_error = null,
       etag = coalesce(:etag, etag), last_modified = coalesce(:last_modified, last_modified),
       last_version = coalesce(:version, last_version)
 where id = :source_id;

-- name: mark_failed
-- A fetch that failed after its retries: the error is kept, the data untouched. `retry_after`
-- (seconds, or null): what the server's last answer asked; no poll fetches before it passes.
update sources
   set last_checked_at = now(), last_error = :error, last_error_at = now(),
       retry_not_before = now() + make_interval(secs => :retry_after::float8)
 where id = :source_id;

-- name: mark_applied
-- A payload applied: it is the source's new baseline; any quarantine warning is over.
update sources
   set last_checked_at = now(), last_success_at = now(), last_error = null,
       etag = :etag, last_modified = :last_modified, last_version = :version,
       last_hash = :sha256, last_snapshot_id = :snapshot_id, quarantined_snapshot_id = null
 where id = :source_id;

-- name: mark_quarantined
-- A payload held back. Its validators are remembered so the same bad bytes are not fetched
-- and stored again; the last applied hash and data stay as they were.
update sources
   set last_checked_at = now(), last_error = :error, last_error_at = now(),
       etag = :etag, last_modified = :last_modified, last_version = :version,
       quarantined_snapshot_id = :snapshot_id
 where id = :source_id;

-- name: insert_snapshot
-- Keep the bytes fetched (zlib), whatever happens to them next.
insert into snapshots (source_id, sha256, version, headers, body, size, as_of, status, error)
values (:source_id, :sha256, :version, :headers, :body, :size, :as_of, :status, :error)
returning id;

-- name: quarantine_snapshot
-- A snapshot a guard refused.
update snapshots set status = 'quarantined', error = :error where id = :snapshot_id;

-- name: snapshot_for_release
-- A quarantined snapshot of the source, with its bytes.
select id, sha256, version, body, status
  from snapshots
 where id = :snapshot_id and source_id = :source_id;

-- name: release_snapshot
-- Applied by a person, with the note that explains why.
update snapshots
   set status = 'applied', error = null, note = :note, released_by = :actor
 where id = :snapshot_id;

-- name: mark_released
-- The released snapshot becomes the source's baseline.
update sources
   set last_success_at = now(), last_error = null, last_hash = :sha256,
       last_snapshot_id = :snapshot_id, quarantined_snapshot_id = null
 where id = :source_id;

-- name: election_contests
-- Contests of an election (one stage, or all when null) with their reporting state.
select c.id, st.kind as stage, c.office, c.district, c.party, c.level, c.seats,
       c.source_office, cs.precincts_reporting, cs.precincts_total,
       coalesce(cs.status, 'unofficial') as status, cs.as_of, cs.source_id
  from contests c
  join stages st on st.id = c.stage_id
  left join contest_status cs on cs.contest_id = c.id
 where st.election_id = :election_id
   and (:stage::text is null or st.kind = :stage)
 order by st.election_day, c.level, c.office, c.district, c.party;

-- name: election_candidacies
-- Candidacies of those contests: the fusion total from candidacy_totals, and the same votes
-- per party line, most votes first.
select ca.id as candidacy_id, ca.contest_id, ca.ballot_name as name, ca.parties,
       ca.incumbent, ca.write_in, ca.declared_winner, t.votes,
       coalesce((select jsonb_agg(jsonb_build_object('party', l.party, 'votes', l.votes)
                                  order by l.votes desc, l.party)
                   from (select r.party, sum(r.votes)::bigint as votes
                           from results r
                          where r.candidacy_id = ca.id
                          group by r.party) l), '[]'::jsonb) as lines
  from candidacies ca
  join candidacy_totals t on t.candidacy_id = ca.id
  join contests c on c.id = ca.contest_id
  join stages st on st.id = c.stage_id
 where st.election_id = :election_id
   and (:stage::text is null or st.kind = :stage)
 order by ca.contest_id, t.votes desc, ca.ballot_name;

-- name: source_for_edit
-- What staff may change of a source, locked for the change (issue 11).
select id, enabled, schedule_seconds, mapping from sources where id = :id for update;

-- name: edit_source
-- Pause / resume, interval, mapping; a null keeps the value (the worker re-reads within 30 s).
update sources
   set enabled = coalesce(:enabled, enabled),
       schedule_seconds = coalesce(:schedule_seconds, schedule_seconds),
       mapping = coalesce(:mapping, mapping)
 where id = :id;

-- name: clear_contest_notes
-- A load's source speaks afresh for the contests it carries: its earlier notes on them go.
delete from contest_notes
 where contest_id = any(:contest_ids::bigint[])
   and source_id is not distinct from :source_id::bigint;

-- name: insert_contest_notes
-- The load's notes, one per contest and kind (several of one kind are joined by the caller).
insert into contest_notes (contest_id, source_id, snapshot_id, kind, detail)
select t.contest_id, :source_id::bigint, :snapshot_id::bigint, t.kind, t.detail
  from unnest(:contest_ids::bigint[], :kinds::text[], :details::text[]) as t(contest_id, kind, detail);

-- name: election_contest_notes
-- Notes on the contests of an election (one stage, or all when null), oldest first.
select n.contest_id, n.source_id, n.kind, n.detail
  from contest_notes n
  join contests c on c.id = n.contest_id
  join stages st on st.id = c.stage_id
 where st.election_id = :election_id
   and (:stage::text is null or st.kind = :stage)
 order by n.contest_id, n.id;

-- name: reconcile_snapshots
-- The last applied payload of every source of an election, with what parses it.
select s.id as source_id, s.format, s.url, s.mapping, st.kind as stage, sn.body, sn.version,
       sn.id as snapshot_id
  from sources s
  join stages st on st.id = s.stage_id
  join snapshots sn on sn.id = s.last_snapshot_id
 where st.election_id = :election_id
 order by s.id;
