-- Reproducing a published figure parses its stored snapshots again, so each snapshot keeps the
-- source mapping it was parsed with: a source's mapping changes over a night (e.g. "status":
-- "official" once the canvass is in), and the old bytes must not be read with the new options.
-- Null for snapshots stored before this column: they are read with the source's mapping now.

alter table snapshots add column mapping jsonb;
