-- Time runs forward (issue 14, item 3): counts that go backwards are held for a person.
--
-- held_corrections: a contest of an applied payload whose counts went backwards against what
-- the same source last applied (a candidate's or a precinct's votes down, precincts reporting
-- down, precincts above the total, a candidate gone). The rest of the payload is applied; the
-- contest keeps its last good numbers until a person accepts the correction (then that
-- contest is applied from the held snapshot, audited) or a later payload moves it forward
-- again (superseded). The contest is named by its canonical identity, because a held contest
-- may not exist yet (precincts above the total on first sight). An accepted row is also what
-- lets a figure's reproduction apply the contest from that snapshot again, as the person did.
--
-- source_candidates / candidate_renames: where a format numbers its candidates (CT SOTS
-- candidate ids, Clarity choice keys), the name first seen under an id stays the candidacy's
-- name, so a later rename under the same id is one candidacy, and the rename is recorded.

create table held_corrections (
    id           bigint generated always as identity primary key,
    source_id    bigint not null references sources on delete cascade,
    snapshot_id  bigint not null references snapshots on delete cascade,
    office       text not null,
    district     text not null,
    party        text not null,
    label        text not null,     -- the contest as people read it: "State Senate 5"
    reasons      text[] not null,   -- each says what went backwards, with both numbers
    state        text not null default 'held'
                 check (state in ('held', 'accepted', 'superseded')),
    held_at      timestamptz not null default now(),
    decided_by   text,
    decided_at   timestamptz,
    note         text,              -- why the person accepted it
    unique (snapshot_id, office, district, party)
);
create index held_corrections_open_idx on held_corrections (source_id) where state = 'held';

create table source_candidates (
    source_id   bigint not null references sources on delete cascade,
    source_key  text not null,      -- the source's own candidate id
    name        text not null,      -- the name first seen under it: the candidacy's
    primary key (source_id, source_key)
);

create table candidate_renames (
    id           bigint generated always as identity primary key,
    source_id    bigint not null references sources on delete cascade,
    snapshot_id  bigint references snapshots on delete set null,
    source_key   text not null,
    name         text not null,     -- kept
    printed      text not null,     -- what the payload printed instead
    seen_at      timestamptz not null default now(),
    unique (source_id, source_key, printed)
);
