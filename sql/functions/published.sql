-- A published figure is frozen (table published_figures, sql/0006): yesterday's sentence must
-- read the same tomorrow, so an update or delete is refused rather than trusted to callers.
-- Except that removing scratch data (the demo's election, a replay: sql/0055) takes its figures
-- with it: a figure quoting the fictional night is no record of anything.

create or replace function published_figures_frozen() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' and exists (select 1 from elections e
                                     where e.id = old.election_id
                                       and (e.demo or e.replay_of is not null)) then
        return old;
    end if;
    raise exception 'published figure % is frozen: publish a new one instead', old.id
        using errcode = 'check_violation';
end
$$;

create or replace trigger published_figures_frozen
    before update or delete on published_figures
    for each row execute function published_figures_frozen();
