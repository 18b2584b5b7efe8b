-- The human layer on top of the scraped results (issue 13, part 7): newsrooms keep their own
-- decisions beside what the feeds say, and so does the union's staff. Four kinds:
--
--   call       staff call a race for a candidate (one row per winner; a multi-seat race has up
--              to `seats` of them): the called candidates win whatever the margin, the
--              recanvass watch or the reporting state say.
--   exclude    staff take a race out of the figures, with a reason anyone reading the race
--              table sees (e.g. two endorsed candidates in one race: one win is certain).
--   certify    staff mark a stage's results certified after the recanvass: its races are
--              final (no recanvass pending), whatever status the feed still shows.
--   incumbent  staff say a candidate is (or, correcting a feed, is not) the incumbent.
--
-- The rules that read these rows are SQL (sql/functions/decisions.sql and outcomes.sql).
-- A row is never deleted or edited but to be withdrawn (undo): withdrawn_at/by. At most one
-- decision of a kind is in force per target. Each write is audited by the service
-- (endorse.figures.decisions); a published figure's reproduction rewinds this table to the
-- figure's time with decided_at and withdrawn_at.
--
-- endorsements.incumbent: what the endorsement import's optional `incumbent` column said about
-- the candidate (null: nothing). It lives on the endorsement rather than on the matched
-- candidacy so that it survives a row being unmatched at import and matched later, is rewound
-- with the endorsement's versions when a figure is reproduced, and is never written over by a
-- feed (candidacies.incumbent is the feed's marker).

create table race_decisions (
    id            bigint generated always as identity primary key,
    kind          text not null check (kind in ('call', 'exclude', 'certify', 'incumbent')),
    stage_id      bigint not null references stages on delete cascade,
    contest_id    bigint references contests on delete cascade,
    candidacy_id  bigint references candidacies on delete cascade,
    incumbent     boolean,
    reason        text not null default '',
    decided_by    text not null,
    decided_at    timestamptz not null default now(),
    withdrawn_by  text,
    withdrawn_at  timestamptz,
    check (case kind
               when 'call' then contest_id is not null and candidacy_id is not null
                                and incumbent is null
               when 'exclude' then contest_id is not null and candidacy_id is null
                                   and incumbent is null and length(btrim(reason)) > 0
               when 'certify' then contest_id is null and candidacy_id is null
                                   and incumbent is null
               else contest_id is not null and candidacy_id is not null and incumbent is not null
           end),
    check ((withdrawn_at is null) = (withdrawn_by is null))
);
create unique index race_decisions_in_force
    on race_decisions (kind, stage_id, coalesce(contest_id, 0), coalesce(candidacy_id, 0))
    where withdrawn_at is null;
create index race_decisions_contest_idx on race_decisions (contest_id) where withdrawn_at is null;
create index race_decisions_candidacy_idx
    on race_decisions (candidacy_id) where withdrawn_at is null;

alter table endorsements add column incumbent boolean;
