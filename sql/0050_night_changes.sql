-- The election-night page's change log: every transaction that changes what a race card shows
-- (a contest's reporting state, a candidacy, an endorsement) gets the next number of its
-- election's counter, with the contests it touched. Server-Sent Events carry that number as
-- their id, so a client that reconnects with Last-Event-ID is sent exactly what it missed.
--
-- Why a per-election counter row and not a sequence: a sequence hands out numbers at call
-- time, so a transaction holding 6 can commit before the one holding 5 and a client resuming
-- "after 6" would never see 5. The counter row is locked until commit, so writers of one
-- election commit in the order of their numbers. Writers of several elections lock the rows in
-- ascending election id. One transaction keeps one number per election (its stages and
-- contests are merged into that row).
--
-- night_headlines keeps the headline rate each time the page computed it after a change (a
-- small derived history for the chart of the rate through the night; one row per stage and
-- change number at most).

create table night_counters (
    election_id  bigint primary key references elections on delete cascade,
    seq          bigint not null default 0
);

create table night_changes (
    election_id  bigint not null references elections on delete cascade,
    seq          bigint not null,
    xact         xid8 not null default pg_current_xact_id(),
    stage_ids    bigint[] not null,
    contest_ids  bigint[] not null,
    at           timestamptz not null default now(),
    primary key (election_id, seq),
    unique (election_id, xact)
);

create table night_headlines (
    stage_id       bigint not null references stages on delete cascade,
    seq            bigint not null,
    at             timestamptz not null default now(),
    won            int not null,
    lost           int not null,
    pending        int not null,
    not_reporting  int not null,
    percent        int,
    low            int,
    high           int,
    primary key (stage_id, seq)
);

-- Record that contests changed in this transaction (stage and election looked up here).
create function night_note(p_contests bigint[]) returns void
language plpgsql as $$
declare
    e record;
    n bigint;
begin
    for e in
        select s.election_id, array_agg(distinct s.id) as stage_ids,
               array_agg(distinct c.id) as contest_ids
          from contests c
          join stages s on s.id = c.stage_id
         where c.id = any(p_contests)
         group by s.election_id
         order by s.election_id
    loop
        update night_changes nc
           set stage_ids = array(select distinct x from unnest(nc.stage_ids || e.stage_ids) x
                                  order by 1),
               contest_ids = array(select distinct x
                                     from unnest(nc.contest_ids || e.contest_ids) x order by 1)
         where nc.election_id = e.election_id and nc.xact = pg_current_xact_id();
        if not found then
            insert into night_counters as k (election_id, seq) values (e.election_id, 1)
                on conflict (election_id) do update set seq = k.seq + 1
                returning seq into n;
            insert into night_changes (election_id, seq, stage_ids, contest_ids)
            values (e.election_id, n, e.stage_ids, e.contest_ids);
        end if;
        -- delivered at commit, once per transaction and election (identical payloads merge)
        perform pg_notify('night_changed', e.election_id::text);
    end loop;
end
$$;

create function night_contest_status_changed() returns trigger
language plpgsql as $$
begin
    perform night_note(array(select contest_id from changed));
    return null;
end
$$;

create function night_candidacies_changed() returns trigger
language plpgsql as $$
begin
    perform night_note(array(select contest_id from changed));
    return null;
end
$$;

-- an endorsement moves the card of the candidacy it points at, before and after
create function night_endorsements_changed() returns trigger
language plpgsql as $$
begin
    perform night_note(array(select cd.contest_id
                               from changed en
                               join candidacies cd on cd.id = en.candidacy_id));
    return null;
end
$$;

create trigger night_contest_status_inserted after insert on contest_status
    referencing new table as changed
    for each statement execute function night_contest_status_changed();
create trigger night_contest_status_updated after update on contest_status
    referencing new table as changed
    for each statement execute function night_contest_status_changed();
create trigger night_candidacies_updated after update on candidacies
    referencing new table as changed
    for each statement execute function night_candidacies_changed();
create trigger night_endorsements_inserted after insert on endorsements
    referencing new table as changed
    for each statement execute function night_endorsements_changed();
create trigger night_endorsements_updated_new after update on endorsements
    referencing new table as changed
    for each statement execute function night_endorsements_changed();
create trigger night_endorsements_updated_old after update on endorsements
    referencing old table as changed
    for each statement execute function night_endorsements_changed();
