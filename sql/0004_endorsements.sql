-- Baseline (squashed before anything was deployed; see README).
-- Who endorses (a hierarchy of bodies) and what they endorsed, with every version kept.
--
-- A body "counts as" its root (the state federation for its locals), so one candidacy endorsed
-- by five locals is one endorsement in every rate. Endorsements keep the candidate as staff
-- typed it; candidacy_id is filled by matching (null until matched).
--
-- One endorsement per natural identity, so an import can be re-run without making duplicates:
-- (stage, body, canonical office, normalized district, candidate_key) among rows that are not
-- soft-deleted; a deleted endorsement may be entered again, and its history stays.
-- candidate_key folds case and runs of spaces ("JOHN  SMITH" = "John Smith"), the same rule as
-- candidates.name_key; anything looser is the matcher's job, not identity. office_typed keeps
-- the office as staff last typed it (office holds the canonical form). Body names are unique
-- regardless of case, so "AFT connecticut" finds "AFT Connecticut" instead of a second body.

create table bodies (
    id         bigint generated always as identity primary key,
    name       text not null unique check (length(trim(name)) > 0),
    kind       text not null default 'state_federation'
               check (kind in ('national', 'state_federation', 'council', 'local')),
    parent_id  bigint references bodies,
    created_at timestamptz not null default now()
);
create unique index bodies_name_ci_key on bodies (lower(name));

create table endorsements (
    id              bigint generated always as identity primary key,
    version         int not null default 1,
    stage_id        bigint not null references stages,
    body_id         bigint not null references bodies,
    office          text not null,               -- as typed, canonicalised by endorse.vocab
    district        text not null default '',
    candidate_name  text not null check (length(trim(candidate_name)) > 0),
    party           text not null default '',
    candidacy_id    bigint references candidacies on delete set null,
    match_method    text check (match_method in ('auto', 'confirmed', 'manual')),
    endorsed_on     date not null,
    rescinded_on    date,
    rescind_reason  text,
    late_ok         boolean not null default false, -- staff accepted a date after election day
    notes           text not null default '',
    created_by      text not null,
    updated_by      text not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    deleted_at      timestamptz,                    -- soft delete: history stays queryable
    office_typed    text,
    candidate_key   text
        generated always as (lower(regexp_replace(btrim(candidate_name), '\s+', ' ', 'g'))) stored
);
create index endorsements_stage_idx on endorsements (stage_id) where deleted_at is null;
create index endorsements_candidacy_idx on endorsements (candidacy_id);
create unique index endorsements_identity_key
    on endorsements (stage_id, body_id, office, district, candidate_key)
    where deleted_at is null;

-- Every change to an endorsement is kept: triggers (sql/functions/endorsements.sql) write the
-- full row here on insert, on every update that changes something, and on a (rare, manual)
-- hard delete. No foreign key to endorsements: history must survive even a hard delete.
create table endorsement_versions (
    endorsement_id  bigint not null,
    version         int not null,
    op              text not null
                    check (op in ('create', 'update', 'rescind', 'match', 'delete', 'restore',
                                  'purge')),
    changed_by      text not null,
    changed_at      timestamptz not null default now(),
    data            jsonb not null,  -- the whole endorsements row as of this version
    primary key (endorsement_id, version)
);
