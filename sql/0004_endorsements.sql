-- Who endorses (a hierarchy of bodies) and what they endorsed.
--
-- A body "counts as" its root (the state federation for its locals), so one candidacy endorsed
-- by five locals is one endorsement in every rate. Endorsements keep the candidate as staff
-- typed it; candidacy_id is filled by matching (null until matched).

create table bodies (
    id         bigint generated always as identity primary key,
    name       text not null unique check (length(trim(name)) > 0),
    kind       text not null default 'state_federation'
               check (kind in ('national', 'state_federation', 'council', 'local')),
    parent_id  bigint references bodies,
    created_at timestamptz not null default now()
);

-- The root each body counts as: follow parent links up to a body with no parent.
create view body_roots as
with recursive up (body_id, ancestor_id, parent_id, depth) as (
    select id, id, parent_id, 0 from bodies
    union all
    select up.body_id, b.id, b.parent_id, up.depth + 1
      from up
      join bodies b on b.id = up.parent_id
     where up.depth < 16
)
select body_id, ancestor_id as root_id
  from up
 where parent_id is null;

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
    deleted_at      timestamptz                     -- soft delete: history stays queryable
);
create index endorsements_stage_idx on endorsements (stage_id) where deleted_at is null;
create index endorsements_candidacy_idx on endorsements (candidacy_id);
