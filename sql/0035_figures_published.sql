-- Published figures: the stats and the race table behind them, frozen when communications
-- quotes them, with the rule version, the source versions and snapshot ids and the as-of time,
-- so yesterday's sentence can be shown and audited after the results have moved on.
-- Rows are never changed or deleted (a trigger refuses); the election cannot be deleted under
-- them (no cascade).

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

create function published_figures_frozen() returns trigger
language plpgsql as $$
begin
    raise exception 'published figure % is frozen: publish a new one instead', old.id
        using errcode = 'check_violation';
end
$$;

create trigger published_figures_frozen
    before update or delete on published_figures
    for each row execute function published_figures_frozen();
