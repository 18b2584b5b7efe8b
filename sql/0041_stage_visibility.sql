-- Endorsements are confidential until the union announces them: each election stage is private
-- (the default, also for stages that existed before this migration) or public. While a stage is
-- private, nothing derived from its endorsements is served to a request without a staff session
-- or an API token (endorse.staff.visibility). Official results are public either way.

alter table stages
    add column visibility text not null default 'private'
        check (visibility in ('private', 'public'));
