-- candidacies.contest_id and .candidate_id: the row-by-row foreign keys become one set-based
-- check per statement, as sql/0090 did for results.candidacy_id.
--
-- A first load creates every candidacy of the state in one upsert (9,408 at 200,000 result
-- rows). EXPLAIN (ANALYZE) of it: 237 ms, of which the two foreign keys' triggers took 148 ms,
-- one SELECT ... FOR KEY SHARE per row on contests and another on candidates. The same
-- guarantees now come from statement-level triggers (sql/functions/results_integrity.sql):
-- every statement that inserts or updates candidacies is checked once, by anti-joins, against
-- contests and candidates (foreign_key_violation, nothing written); deleting contests deletes
-- their candidacies, as `on delete cascade` did (and so their results, sql/0090); deleting a
-- candidate a candidacy names is refused, as the key's NO ACTION did. What the row locks
-- bought, and this gives up (as in 0090): a contest or candidate deleted by a transaction that
-- commits while a load inserts candidacies for it. Contests go only with their election
-- (`endorse demo --remove`), whose sources stop first; candidates only when no candidacy
-- names them.
alter table candidacies
    drop constraint candidacies_contest_id_fkey,
    drop constraint candidacies_candidate_id_fkey;
