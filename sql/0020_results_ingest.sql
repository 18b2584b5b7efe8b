-- Results ingestion bookkeeping on top of 0003.
--
-- A payload that lost most of its contests is recognised by comparing with what the source's
-- last applied snapshot held, so snapshots record their contest and row counts. A quarantined
-- payload stays visible as a warning until a good one is applied (sources.quarantined_snapshot_id)
-- and can be applied anyway only with a person's note (snapshots.note / released_by), which is
-- the "version note" the vote-drop guard asks for.

alter table snapshots
    add column contests     int,   -- contests in the parsed payload; null when it did not parse
    add column records      int,   -- result rows in the parsed payload
    add column note         text,  -- why a quarantined payload was applied anyway
    add column released_by  text;  -- who applied it (audit actor)

alter table sources
    add column last_snapshot_id         bigint references snapshots on delete set null,
    add column quarantined_snapshot_id  bigint references snapshots on delete set null;
