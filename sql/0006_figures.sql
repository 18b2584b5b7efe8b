-- Baseline (squashed before anything was deployed; see README).
-- What the figures keep as data: the recount rules they apply, the change log that tells a
-- stats cache when anything the figures read has changed, and the published (frozen) figures.
-- The rules themselves are functions in sql/functions/.

-- Recount watch (per jurisdiction, so other states can be added as rows):
--   a race is too close to call when the margin between a winner and the loser who could take
--   the seat is under `margin_floor` votes, or under `margin_pct` percent of the votes cast for
--   the office and not more than `margin_cap` votes (`margin_cap_primary` in a primary).
--   Connecticut: CGS 9-311a (elections) and 9-445 (primaries) order a recanvass under 0.5%,
--   at most 2,000 votes (1,000 in a primary), or under 20 votes; an exact tie goes to an
--   adjourned election.
create table recount_rules (
    jurisdiction        text primary key,
    margin_pct          numeric not null check (margin_pct >= 0),
    margin_cap          int not null check (margin_cap >= 0),
    margin_cap_primary  int not null check (margin_cap_primary >= 0),
    margin_floor        int not null check (margin_floor >= 0),
    statute             text not null,
    rule_version        text not null    -- bump when a row changes; stored with published figures
);

insert into recount_rules
    (jurisdiction, margin_pct, margin_cap, margin_cap_primary, margin_floor, statute, rule_version)
values
    ('CT', 0.5, 2000, 1000, 20, 'CGS 9-311a / 9-445', 'CT-2024-1');

-- One row per transaction that wrote anything the figures read (written by the triggers in
-- sql/functions/changes.sql). A cached stats answer computed under snapshot S is still right
-- exactly when no row here is committed but invisible to S:
--   not exists (select 1 from figures_changes
--                where xact >= pg_snapshot_xmin(S) and not pg_visible_in_snapshot(xact, S))
-- Keyed by the writer's transaction id (not a counter or a time), so commit order cannot fool
-- it: a transaction that started before S and committed after it is still seen as a change.
create table figures_changes (
    xact  xid8 primary key default pg_current_xact_id(),
    at    timestamptz not null default now()
);

-- Published figures: the stats and the race table behind them, frozen when communications
-- quotes them, with the rule version, the source versions and snapshot ids and the as-of time,
-- so yesterday's sentence can be shown and audited after the results have moved on.
-- Rows are never changed or deleted (a trigger refuses, sql/functions/published.sql); the
-- election cannot be deleted under them (no cascade).
create table published_figures (
    id            bigint generated always as identity primary key,
    election_id   bigint not null references elections,
    stage         text not null,     -- a stage kind, or 'all' when stages were pooled on request
    stats         jsonb not null,    -- the stats answer exactly as served at publication
    races         jsonb not null,    -- the race rows behind it, in order
    rule_version  text not null,
    sources       jsonb not null,    -- id, format, url, version, hash of each source
    snapshot_ids  bigint[] not null default '{}',
    as_of         timestamptz,       -- the latest contest status the numbers rest on
    note          text not null default '',
    published_by  text not null,
    published_at  timestamptz not null default now()
);
create index published_figures_election_idx on published_figures (election_id, published_at desc);
