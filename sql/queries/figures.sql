-- Named queries of the figures: stats, races, the stats cache, published figures.
-- The rules themselves are SQL functions in sql/functions/; these only call and store.

-- name: stats
-- The whole stats answer in one round trip, with the snapshot it was computed under.
select figure_stats(:slug, :stage)::text as stats, pg_current_snapshot()::text as snapshot;

-- name: races
-- The race table of an election's stage ('all' pools every stage), in one snapshot.
select r.*, pg_current_snapshot()::text as snapshot
  from figure_races(array(select s.id
                            from elections e
                            join stages s on s.election_id = e.id
                           where e.slug = :slug and (:stage = 'all' or s.kind = :stage))) r;

-- name: changed_since
-- Did a transaction the snapshot could not see commit a change the figures read? (sql/0006)
select exists (select 1
                 from figures_changes
                where xact >= pg_snapshot_xmin(:snapshot::text::pg_snapshot)
                  and not pg_visible_in_snapshot(xact, :snapshot::text::pg_snapshot));

-- name: stats_and_races
-- Stats and the race rows behind them from one snapshot, for publishing.
select figure_stats(:slug, :stage)::text as stats,
       (select coalesce(jsonb_agg(to_jsonb(r)), '[]')::text
          from figure_races(array(select s.id
                                    from elections e
                                    join stages s on s.election_id = e.id
                                   where e.slug = :slug
                                     and (:stage = 'all' or s.kind = :stage))) r) as races;

-- name: insert_figure
-- Freeze a published figure; returns its id and time.
insert into published_figures
       (election_id, stage, stats, races, rule_version, sources, snapshot_ids, as_of, note,
        published_by)
select e.id, :stage, :stats::text::jsonb, :races::text::jsonb, :rule_version,
       :sources::text::jsonb,
       :snapshot_ids::bigint[], :as_of, :note, :actor
  from elections e
 where e.slug = :slug
returning id, published_at;

-- name: figure_by_id
-- One published figure, exactly as frozen.
select f.id, e.slug as election, f.stage, f.stats, f.races, f.rule_version, f.sources,
       f.snapshot_ids, f.as_of, f.note, f.published_by, f.published_at
  from published_figures f
  join elections e on e.id = f.election_id
 where f.id = :id;

-- name: list_figures
-- The published figures of an election, newest first, with their headline and sentence.
select f.id, e.slug as election, f.stage, f.note, f.published_by, f.published_at, f.as_of,
       f.stats -> 'headline' ->> 'text' as headline, (f.stats -> 'headline' ->> 'percent')::int
           as percent, f.stats ->> 'sentence' as sentence
  from published_figures f
  join elections e on e.id = f.election_id
 where e.slug = :slug
 order by f.published_at desc, f.id desc
 limit :limit;
