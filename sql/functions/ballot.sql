-- The ballot's merge rules, used by every writer of candidacies (staff entry in
-- sql/queries/ballot.sql, the results load in sql/queries/results.sql).

-- A candidacy's party lines after another source names some: every line either side names,
-- in order of first appearance ({DEM} then {WFP, DEM} -> {DEM, WFP}). The first line is the
-- one the party cap counts (CGS 9-167a, outcomes.sql), so a later source never reorders it.
create or replace function merge_party_lines(p_old text[], p_new text[]) returns text[]
language sql immutable as $$
    select array(select p
                   from unnest(p_old || p_new) with ordinality as t(p, n)
                  group by p
                  order by min(n))
$$;
