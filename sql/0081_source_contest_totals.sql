-- Two sources for one contest (issue 13 part 6): the results table holds one source's numbers
-- per contest (the load guard keeps the most final, then the official feed's: status_guard.py),
-- so what each source said is kept here, per contest and source, as candidate totals
-- ({candidates.name_key: votes}, zero counts left out). Written by the load guard only for a
-- contest that more than one source carries; a contest whose sources' totals differ carries a
-- "sources disagree" flag wherever its race is shown (contest_disputed(), sql/functions/).

create table source_contest_totals (
    contest_id   bigint not null references contests on delete cascade,
    source_id    bigint not null references sources on delete cascade,
    status       text not null check (status in ('unofficial', 'official', 'certified')),
    totals       jsonb not null,
    updated_at   timestamptz not null default now(),
    primary key (contest_id, source_id)
);
