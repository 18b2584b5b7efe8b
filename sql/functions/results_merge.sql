-- The UPDATE half of a results load (endorse.results.ingest._merge): the rows whose votes
-- changed, staged by COPY in the session's temp table results_stage, replace the stored ones.
--
-- Why a function: its SET clauses. The staged rows are the few that changed (5% of a statewide
-- payload), each found through the results primary key; but with no statistics on a temp table
-- just filled, the planner hashed the whole results table to join them (EXPLAIN ANALYZE at
-- 200,000 rows: 240 ms, the hash spilling to disk, against 80 ms by index), and that seq scan
-- grows with every stage in the database, not with the change. The settings hold for this
-- call only.
create or replace function results_apply_staged(snapshot bigint) returns bigint
language plpgsql
set enable_hashjoin = off
set enable_mergejoin = off
as $$
declare
    written bigint;
begin
    update results r
       set votes = s.votes, snapshot_id = snapshot, updated_at = now()
      from results_stage s
     where (r.candidacy_id, r.party, r.unit) = (s.candidacy_id, s.party, s.unit)
       and r.votes is distinct from s.votes;
    get diagnostics written = row_count;
    return written;
end
$$;
