-- The night page's "contest changed" trigger body was written three times: 0050's
-- night_contest_status_changed and night_candidacies_changed, and sources_agree.sql's
-- night_source_totals_changed, each `night_note(contest ids of the changed rows)`. One
-- function, night_contests_changed in sql/functions/night.sql, now serves every table whose
-- rows carry a contest_id; the triggers are defined there too, next to it. Migrations run
-- before the function files, so this drops the old triggers and functions and night.sql
-- creates their replacements in the same `endorse db migrate`.
drop trigger night_contest_status_inserted on contest_status;
drop trigger night_contest_status_updated on contest_status;
drop trigger night_candidacies_updated on candidacies;
drop trigger if exists night_source_totals_inserted on source_contest_totals;
drop trigger if exists night_source_totals_updated on source_contest_totals;
drop function night_contest_status_changed();
drop function night_candidacies_changed();
drop function if exists night_source_totals_changed();
