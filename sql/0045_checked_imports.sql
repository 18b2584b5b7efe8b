-- Imports checked in the staff pages wait here for their "Import" button (issue 11).
--
-- The page applies exactly the bytes it checked, never a second upload: the file is kept
-- under a random id with its sha256, and with `plan`, a hash of what the check said each row
-- would do and of the endorsements those rows would touch. Applying recomputes the plan under
-- lock; when it differs (someone edited or imported meanwhile) nothing is written.
-- Rows are short-lived working state, pruned a day after their check.

create table checked_imports (
    id              text primary key,           -- random, url-safe; the page's URL carries it
    sha256          bytea not null,
    body            bytea not null,
    filename        text not null default '',
    content_type    text,
    mapping         text,                       -- "Their Header:column,..." as checked
    late_ok         boolean not null default false,
    plan            bytea,                      -- null when the file could not be checked
    report          jsonb,                      -- the dry-run report as shown
    file_error      text,                       -- the whole-file problem (header, format)
    checked_by      text not null,
    checked_at      timestamptz not null default now(),
    applied_at      timestamptz,
    applied_by      text,
    applied_report  jsonb
);
create index checked_imports_checked_at_idx on checked_imports (checked_at);
