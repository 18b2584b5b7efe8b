-- Baseline (squashed before anything was deployed; see README).
-- Official returns: where they come from (sources), the exact bytes fetched (snapshots) and
-- the votes (results) at the grain the source reports: candidacy x party line x reporting unit.
-- Per-contest reporting state lives in contest_status, one row per contest.
--
-- A payload that lost most of its contests is recognised by comparing with what the source's
-- last applied snapshot held, so snapshots record their contest and row counts. A quarantined
-- payload stays visible as a warning until a good one is applied (sources.quarantined_snapshot_id)
-- and can be applied anyway only with a person's note (snapshots.note / released_by), which is
-- the "version note" the vote-drop guard asks for.

create table sources (
    id                bigint generated always as identity primary key,
    stage_id          bigint not null references stages on delete cascade,
    format            text not null check (format in ('ct-sots', 'clarity', 'openelections', 'html')),
    url               text not null,
    mapping           jsonb not null default '{}',   -- format options (html selectors, ids)
    schedule_seconds  int not null default 60 check (schedule_seconds >= 5),
    enabled           boolean not null default true,
    etag              text,
    last_modified     text,
    last_version      text,
    last_hash         bytea,                         -- sha256 of the last applied body
    last_checked_at   timestamptz,
    last_success_at   timestamptz,
    last_error        text,
    last_error_at     timestamptz,
    created_at        timestamptz not null default now(),
    unique (stage_id, format, url)
);

create table snapshots (
    id          bigint generated always as identity primary key,
    source_id   bigint not null references sources on delete cascade,
    fetched_at  timestamptz not null default now(),
    sha256      bytea not null,
    version     text,
    headers     jsonb not null default '{}',
    body        bytea not null,                      -- zlib-compressed payload
    size        int not null,                        -- uncompressed bytes
    as_of       timestamptz,                         -- the source's own as-of time, if stated
    status      text not null check (status in ('applied', 'quarantined')),
    error       text,
    contests    int,   -- contests in the parsed payload; null when it did not parse
    records     int,   -- result rows in the parsed payload
    note        text,  -- why a quarantined payload was applied anyway
    released_by text,  -- who applied it (audit actor)
    -- Reproducing a published figure parses its stored snapshots again, so each snapshot keeps
    -- the source mapping it was parsed with: a source's mapping changes over a night (e.g.
    -- "status": "official" once the canvass is in), and the old bytes must not be read with the
    -- new options. Null: read with the source's mapping now.
    mapping     jsonb
);
create index snapshots_source_idx on snapshots (source_id, fetched_at desc);

-- sources and snapshots point at each other, so these come after both tables exist
alter table sources
    add column last_snapshot_id         bigint references snapshots on delete set null,
    add column quarantined_snapshot_id  bigint references snapshots on delete set null;

create table results (
    candidacy_id  bigint not null references candidacies on delete cascade,
    party         text not null default '',          -- party line ('' when the source has none)
    unit          text not null default '',          -- reporting unit; '' = contest-wide total
    votes         bigint not null check (votes >= 0),
    snapshot_id   bigint references snapshots on delete set null,
    updated_at    timestamptz not null default now(),
    primary key (candidacy_id, party, unit)
);

create table contest_status (
    contest_id           bigint primary key references contests on delete cascade,
    precincts_reporting  int check (precincts_reporting >= 0),
    precincts_total      int check (precincts_total >= 0),
    status               text not null default 'unofficial'
                         check (status in ('unofficial', 'official', 'certified')),
    as_of                timestamptz,
    source_id            bigint references sources on delete set null,
    snapshot_id          bigint references snapshots on delete set null,
    content_hash         bytea,  -- hash of this contest's parsed rows: unchanged contests skip the merge
    updated_at           timestamptz not null default now()
);
