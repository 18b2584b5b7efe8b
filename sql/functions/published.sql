-- A published figure is frozen (table published_figures, sql/0006): yesterday's sentence must
-- read the same tomorrow, so an update or delete is refused rather than trusted to callers.

create or replace function published_figures_frozen() returns trigger
language plpgsql as $$
begin
    raise exception 'published figure % is frozen: publish a new one instead', old.id
        using errcode = 'check_violation';
end
$$;

create or replace trigger published_figures_frozen
    before update or delete on published_figures
    for each row execute function published_figures_frozen();
