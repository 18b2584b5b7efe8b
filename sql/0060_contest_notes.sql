-- What a source says a contest's figures must be read with: repeated rows it counted as copies
-- or summed as parts (OpenElections), a stated total its detail rows do not add up to
-- (Clarity), its own fusion sums that differ from ours (CT SOTS candidateGrouping). Each load
-- replaces its source's notes for the contests it carries, so a note lasts while it is true.

create table contest_notes (
    id           bigint generated always as identity primary key,
    contest_id   bigint not null references contests on delete cascade,
    source_id    bigint references sources on delete cascade,
    snapshot_id  bigint references snapshots on delete set null,
    kind         text not null check (kind ~ '^[a-z_]+$'),
    detail       text not null,
    created_at   timestamptz not null default now()
);
create unique index contest_notes_one_per_kind
    on contest_notes (contest_id, coalesce(source_id, 0), kind);
