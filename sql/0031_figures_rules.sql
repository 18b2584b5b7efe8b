-- The rules the figures apply, kept as data, and a change log that tells a stats cache when
-- anything the figures read has changed.
--
-- Recount watch (per jurisdiction, so other states can be added as rows):
--   a race is too close to call when the margin between a winner and the loser who could take
--   the seat is under `margin_floor` votes, or under `margin_pct` percent of the votes cast for
--   the office and not more than `margin_cap` votes (`margin_cap_primary` in a primary).
--   Connecticut: CGS 9-311a (elections) and 9-445 (primaries) order a recanvass under 0.5%,
--   at most 2,000 votes (1,000 in a primary), or under 20 votes; an exact tie goes to an
--   adjourned election.

create table recount_rules (
    jurisdiction        text primary key,
    margin_pct          numeric not null check (margin_pct >= 0),
    margin_cap          int not null check (margin_cap >= 0),
    margin_cap_primary  int not null check (margin_cap_primary >= 0),
    margin_floor        int not null check (margin_floor >= 0),
    statute             text not null,
    rule_version        text not null    -- bump when a row changes; stored with published figures
);

insert into recount_rules
    (jurisdiction, margin_pct, margin_cap, margin_cap_primary, margin_floor, statute, rule_version)
values
    ('CT', 0.5, 2000, 1000, 20, 'CGS 9-311a / 9-445', 'CT-2024-1');

-- The version of the outcome and rate rules in sql/0032-0033; bump with any change to them.
create function figure_rule_version(p_jurisdiction text) returns text
language sql stable as $$
    select 'figures-1; recount '
           || coalesce((select rule_version from recount_rules where jurisdiction = p_jurisdiction),
                       'none')
$$;

-- One row per transaction that wrote anything the figures read. A cached stats answer computed
-- under snapshot S is still right exactly when no row here is committed but invisible to S:
--   not exists (select 1 from figures_changes
--                where xact >= pg_snapshot_xmin(S) and not pg_visible_in_snapshot(xact, S))
-- Keyed by the writer's transaction id (not a counter or a time), so commit order cannot fool
-- it: a transaction that started before S and committed after it is still seen as a change.
create table figures_changes (
    xact  xid8 primary key default pg_current_xact_id(),
    at    timestamptz not null default now()
);

create function figures_note_change() returns trigger
language plpgsql as $$
begin
    insert into figures_changes default values on conflict (xact) do nothing;
    -- keep the log small; entries older than a day can no longer invalidate anything, because
    -- cached answers live at most an hour (endorse.figures.cache.MAX_AGE)
    if random() < 0.001 then
        delete from figures_changes where at < now() - interval '1 day';
    end if;
    return null;
end
$$;

-- Statement-level (one cheap insert per writing statement, whatever its size), so a 200,000-row
-- results merge pays once. Tables whose every write matters:
do $$
declare
    t text;
begin
    foreach t in array array['results', 'contest_status', 'candidacies', 'candidates', 'contests',
                             'stages', 'elections', 'endorsements', 'bodies', 'recount_rules']
    loop
        execute format('create trigger %I after insert or update or delete or truncate on %I '
                       'for each statement execute function figures_note_change()',
                       t || '_figures_changed', t);
    end loop;
end
$$;

-- sources: every poll stamps last_checked_at; only a new version or body is a change.
create trigger sources_figures_changed
    after insert or delete on sources
    for each statement execute function figures_note_change();
create trigger sources_figures_version_changed
    after update on sources
    for each row
    when (old.last_version is distinct from new.last_version
          or old.last_hash is distinct from new.last_hash)
    execute function figures_note_change();
