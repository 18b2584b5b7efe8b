-- A contest a person accepted as gone is not held again while its source leaves it out. When
-- the source carries it again, even with the same numbers (then nothing of it is rewritten, so
-- contest_status.updated_at does not move), `returned_at` marks the acceptance as past: the
-- next time the contest goes, that is news again and it is held.
alter table held_corrections add column returned_at timestamptz;
create index held_corrections_accepted_gone_idx on held_corrections (source_id)
    where gone and state = 'accepted' and returned_at is null;
