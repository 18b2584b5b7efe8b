-- The change log that tells a stats cache when anything the figures read has changed
-- (table figures_changes, sql/0006; the reasoning is there).
--
-- Statement-level triggers (one cheap insert per writing statement, whatever its size), so a
-- 200,000-row results merge pays once. A table the figures start to read is added to the list.

create or replace function figures_note_change() returns trigger
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

do $$
declare
    t text;
begin
    foreach t in array array['results', 'contest_status', 'candidacies', 'candidates', 'contests',
                             'stages', 'elections', 'endorsements', 'bodies', 'recount_rules',
                             'race_decisions', 'source_contest_totals']
    loop
        execute format('create or replace trigger %I '
                       'after insert or update or delete or truncate on %I '
                       'for each statement execute function figures_note_change()',
                       t || '_figures_changed', t);
    end loop;
end
$$;

-- sources: every poll stamps last_checked_at; only a new version or body is a change.
create or replace trigger sources_figures_changed
    after insert or delete on sources
    for each statement execute function figures_note_change();
create or replace trigger sources_figures_version_changed
    after update on sources
    for each row
    when (old.last_version is distinct from new.last_version
          or old.last_hash is distinct from new.last_hash)
    execute function figures_note_change();
