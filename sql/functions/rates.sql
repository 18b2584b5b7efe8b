-- Win rates: one function call returns everything the stats endpoint serves, computed from the
-- race table (figure_races, endorsement_outcomes.sql) in one snapshot, so a figure and the rows
-- behind it always agree.
--
-- headline  = WON / (WON + LOST), shown as "w of n"; PENDING is a count with the range the
--             final rate can end in (every pending race lost ... every pending race won).
-- percent   = round half up in integer arithmetic: (200 * w + n) / (2 * n). 1 of 8 -> 13.
-- variants  = contested only (more named candidates than seats), non-incumbents in contested
--             races, incumbents / non-incumbents, close races (margin within the recount rule),
--             by office level, by endorsing body (the root each body counts as; a candidacy
--             endorsed by two roots counts once under each), and by stage when pooled.
-- Stages are never pooled unless the caller asks for p_stage = 'all' ("pooled": true).
-- decisions = the staff decisions in force (decisions_in_force, decisions.sql), so a published
--             figure stores the human layer its numbers rest on; excluded.by_staff counts the
--             race rows staff took out of the rates.
-- figures-2: staff decisions (sql/0080).
-- Unknown election or stage: {"error": "election" | "stage"}.

-- The version of the outcome and rate rules (outcomes.sql, endorsement_outcomes.sql and this
-- file) and of the jurisdiction's recount rule; stored with every published figure. Bump
-- 'figures-N' with any change to the rules' results.
create or replace function figure_rule_version(p_jurisdiction text) returns text
language sql stable as $$
    select 'figures-2; recount '
           || coalesce((select rule_version from recount_rules where jurisdiction = p_jurisdiction),
                       'none')
$$;

create or replace function figure_pct(w bigint, n bigint) returns int
language sql immutable as $$
    select case when n > 0 then ((200 * w + n) / (2 * n))::int end
$$;

create or replace function figure_rate(won bigint, lost bigint, pending bigint) returns jsonb
language sql immutable as $$
    select jsonb_build_object(
        'won', won, 'lost', lost, 'pending', pending, 'decided', won + lost,
        'percent', figure_pct(won, won + lost),
        'text', won || ' of ' || (won + lost),
        'low', figure_pct(won, won + lost + pending),
        'high', figure_pct(won + pending, won + lost + pending))
$$;

-- the rate of a set of race rows: figure_rate over their tallies
create or replace function figure_rate_of(tallies text[]) returns jsonb
language sql immutable as $$
    select figure_rate(
        (select count(*) from unnest(tallies) t where t = 'won'),
        (select count(*) from unnest(tallies) t where t = 'lost'),
        (select count(*) from unnest(tallies) t where t = 'pending'))
$$;

create or replace function figure_stats(p_slug text, p_stage text) returns jsonb
language sql stable as $$
with st as (
    select s.id, s.kind, s.election_day, e.name, e.jurisdiction
      from elections e
      join stages s on s.election_id = e.id
     where e.slug = p_slug and (p_stage = 'all' or s.kind = p_stage)
),
r as materialized (
    select * from figure_races(array(select id from st))
),
c as (
    select * from r where tally in ('won', 'lost', 'pending')
)
select case
    when not exists (select 1 from elections where slug = p_slug)
        then jsonb_build_object('error', 'election')
    when not exists (select 1 from st)
        then jsonb_build_object('error', 'stage')
    else jsonb_build_object(
        'election', p_slug,
        'election_name', (select min(name) from st),
        'stage', p_stage,
        'stages', (select jsonb_agg(kind order by election_day, kind) from st),
        'pooled', p_stage = 'all',
        'year', (select extract(year from max(election_day))::int from st),
        'headline', (select figure_rate_of(array_agg(tally)) from c),
        'variants', jsonb_build_object(
            'contested',
                (select figure_rate_of(array_agg(tally)) from c where not uncontested),
            'non_incumbents_contested',
                (select figure_rate_of(array_agg(tally)) from c
                  where not uncontested and not incumbent),
            'incumbents', (select figure_rate_of(array_agg(tally)) from c where incumbent),
            'non_incumbents',
                (select figure_rate_of(array_agg(tally)) from c where not incumbent),
            'close', (select figure_rate_of(array_agg(tally)) from c where close),
            'by_level', (
                select coalesce(jsonb_agg(x.rate || jsonb_build_object('key', x.level)
                                          order by x.level), '[]')
                  from (select level, figure_rate_of(array_agg(tally)) as rate
                          from c group by level) x),
            'by_body', (
                select coalesce(jsonb_agg(x.rate || jsonb_build_object('key', x.body)
                                          order by x.body), '[]')
                  from (select b.body, figure_rate_of(array_agg(c.tally)) as rate
                          from c cross join unnest(c.bodies) as b(body)
                         group by b.body) x),
            'by_stage', (
                select coalesce(jsonb_agg(x.rate || jsonb_build_object('key', x.stage)
                                          order by x.stage), '[]')
                  from (select stage, figure_rate_of(array_agg(tally)) as rate
                          from c group by stage) x)),
        'excluded', jsonb_build_object(
            'unmatched', (select count(*) from r where outcome = 'UNMATCHED'),
            'withdrew', (select count(*) from r where outcome = 'WITHDREW'),
            'rescinded', (select count(*) from r where outcome = 'RESCINDED'),
            'by_staff', (select count(*) from r
                          where excluded_reason is not null
                            and outcome not in ('WITHDREW', 'RESCINDED', 'UNMATCHED')),
            'late', (select count(*)
                       from endorsements en
                       join st on st.id = en.stage_id
                      where en.deleted_at is null
                        and (en.endorsed_on >= st.election_day or en.late_ok))),
        'unmatched', (
            select coalesce(jsonb_agg(jsonb_build_object(
                       'candidate', candidate, 'office', office, 'district', district,
                       'stage', stage) order by office, district, candidate), '[]')
              from r where outcome = 'UNMATCHED'),
        'as_of', (select max(as_of) from r),
        -- a source URL without what may be a secret (an API key in the query string, or
        -- credentials before the host): stats and the figures frozen from them are public
        'sources', (
            select coalesce(jsonb_agg(jsonb_build_object(
                       'id', so.id, 'format', so.format,
                       'url', regexp_replace(regexp_replace(so.url, '[?#].*$', ''),
                                             '^([a-z][a-z0-9+.-]*://)[^/]*@', '\1', 'i'),
                       'version', so.last_version, 'hash', encode(so.last_hash, 'hex'),
                       'last_success_at', so.last_success_at) order by so.id), '[]')
              from sources so
             where so.stage_id in (select id from st)),
        'snapshot_ids', (
            select coalesce(jsonb_agg(distinct snapshot_id), '[]')
              from r where snapshot_id is not null),
        'decisions', (
            select coalesce(jsonb_agg(to_jsonb(d) order by d.decided_at, d.id), '[]')
              from decisions_in_force(array(select id from st)) d),
        'rule_version', (select figure_rule_version(min(jurisdiction)) from st))
    end
$$;
