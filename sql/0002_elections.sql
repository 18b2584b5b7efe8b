-- Baseline (squashed before anything was deployed; see README).
-- The election vocabulary shared by the registry, the results ingestion and the figures.
--
-- election   one named election event (slug "2018-ct-general") in a jurisdiction
-- stage      primary, general, special, runoff or adjourned (tie) vote, each with its own day
-- contest    one office on one stage's ballot: office, level, district, seats (vote for N),
--            vote variation, party cap (CT minority representation), and for a primary the party
-- candidate  a person as named on ballots
-- candidacy  a candidate in a contest; party lines (fusion) live on results rows
-- results    votes per (candidacy, party line, reporting unit); summed to the candidacy by views

create table elections (
    id             bigint generated always as identity primary key,
    slug           text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    name           text not null check (length(trim(name)) > 0),
    jurisdiction   text not null default 'CT',
    election_date  date not null,
    created_at     timestamptz not null default now()
);

create table stages (
    id            bigint generated always as identity primary key,
    election_id   bigint not null references elections on delete cascade,
    kind          text not null
                  check (kind in ('primary', 'general', 'special', 'runoff', 'adjourned')),
    election_day  date not null,
    unique (election_id, kind)
);

create table contests (
    id              bigint generated always as identity primary key,
    stage_id        bigint not null references stages on delete cascade,
    office          text not null,             -- canonical office name (endorse.vocab)
    level           text not null default 'other'
                    check (level in ('federal', 'statewide', 'state_senate', 'state_house',
                                     'county', 'municipal', 'school_board', 'other')),
    district        text not null default '',  -- normalized: '1', not '001' or 'District 1'
    party           text not null default '',  -- the party whose primary this is; '' otherwise
    seats           int not null default 1 check (seats >= 1),
    vote_variation  text not null default 'plurality'
                    check (vote_variation in ('plurality', 'ranked_choice', 'top_two')),
    party_cap       int check (party_cap >= 1), -- most winners one party may have (CGS 9-167a)
    source_office   text,                      -- office as the official source spells it
    created_at      timestamptz not null default now(),
    unique (stage_id, office, district, party)
);

create table candidates (
    id        bigint generated always as identity primary key,
    name      text not null,
    name_key  text not null unique  -- lower-cased, whitespace-collapsed name for lookups
);

create table candidacies (
    id              bigint generated always as identity primary key,
    contest_id      bigint not null references contests on delete cascade,
    candidate_id    bigint not null references candidates,
    ballot_name     text not null,
    parties         text[] not null default '{}',  -- party lines on the ballot, in order
    incumbent       boolean not null default false,
    write_in        boolean not null default false, -- a write-in line or aggregate, not an opponent
    withdrew_on     date,
    declared_winner boolean,                        -- the source's own call; overrides our ranking
    unique (contest_id, candidate_id)
);
create index candidacies_candidate_idx on candidacies (candidate_id);
