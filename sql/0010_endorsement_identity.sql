-- One endorsement per natural identity, so an import can be re-run without making duplicates.
--
-- The identity is (stage, body, canonical office, normalized district, candidate name key)
-- among rows that are not soft-deleted: a deleted endorsement may be entered again, and its
-- history stays. The name key folds case and runs of spaces ("JOHN  SMITH" = "John Smith"),
-- the same rule as candidates.name_key; anything looser is the matcher's job, not identity.
-- office_typed keeps the office as staff last typed it (office holds the canonical form).
-- Body names are unique regardless of case, so "AFT connecticut" finds "AFT Connecticut"
-- instead of creating a second body.

alter table endorsements
    add column office_typed text,
    add column candidate_key text
        generated always as (lower(regexp_replace(btrim(candidate_name), '\s+', ' ', 'g'))) stored;

create unique index endorsements_identity_key
    on endorsements (stage_id, body_id, office, district, candidate_key)
    where deleted_at is null;

create unique index bodies_name_ci_key on bodies (lower(name));
