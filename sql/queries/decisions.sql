-- Named queries of staff decisions (table race_decisions, sql/0080; endorse.figures.decisions).

-- name: contest_for_update
-- A contest of a stage, locked so two calls of one race take turns counting its seats.
select c.id, c.office, c.district, c.party, c.seats,
       case when s.kind = 'primary' and c.vote_variation = 'top_two' then 2 * c.seats
            else c.seats end as slots
  from contests c
  join stages s on s.id = c.stage_id
 where c.id = :contest_id and c.stage_id = :stage_id
   for update of c;

-- name: candidacy_in_stage
-- A candidacy of a stage's ballot, with its contest.
select cd.id, cd.contest_id, cd.ballot_name
  from candidacies cd
  join contests c on c.id = cd.contest_id
 where cd.id = :candidacy_id and c.stage_id = :stage_id;

-- name: find_contest
-- A stage's contest by its canonical office, district and primary party.
select c.id
  from contests c
 where c.stage_id = :stage_id and c.office = :office and c.district = :district
   and c.party = :party;

-- name: find_candidacy
-- A contest's candidacies whose ballot name is the one given (case and spacing aside).
select cd.id, cd.ballot_name
  from candidacies cd
 where cd.contest_id = :contest_id
   and lower(regexp_replace(btrim(cd.ballot_name), '\s+', ' ', 'g'))
       = lower(regexp_replace(btrim(:name), '\s+', ' ', 'g'));

-- name: calls_in_force
-- The candidacies staff called a contest for.
select d.id, cd.ballot_name
  from race_decisions d
  join candidacies cd on cd.id = d.candidacy_id
 where d.kind = 'call' and d.contest_id = :contest_id and d.withdrawn_at is null
 order by d.id;

-- name: insert_decision
-- Record a decision (in force until withdrawn); returns its id.
insert into race_decisions (kind, stage_id, contest_id, candidacy_id, incumbent, reason,
                            decided_by)
values (:kind, :stage_id, :contest_id, :candidacy_id, :incumbent, :reason, :actor)
returning id;

-- name: withdraw_decision
-- Withdraw a decision in force (undo); no row when it is unknown or already withdrawn.
update race_decisions d
   set withdrawn_at = now(), withdrawn_by = :actor
  from stages s
  join elections e on e.id = s.election_id
 where d.id = :id and s.id = d.stage_id and e.slug = :slug and d.withdrawn_at is null
returning d.id;

-- name: decisions
-- An election's decisions with the race and candidate they name, newest first; :stage null:
-- every stage; withdrawn ones only when :everything.
select d.id, d.kind, s.kind as stage, d.contest_id, c.office, c.district,
       c.party as contest_party, d.candidacy_id, cd.ballot_name as candidate, d.incumbent,
       d.reason, d.decided_by, d.decided_at, d.withdrawn_by, d.withdrawn_at
  from race_decisions d
  join stages s on s.id = d.stage_id
  join elections e on e.id = s.election_id
  left join contests c on c.id = d.contest_id
  left join candidacies cd on cd.id = d.candidacy_id
 where e.slug = :slug
   and (:stage::text is null or s.kind = :stage)
   and (:id::bigint is null or d.id = :id)
   and (:everything or d.withdrawn_at is null)
 order by d.decided_at desc, d.id desc;

-- name: race_view
-- Every candidacy of one contest as the figures decide it (figure_candidacies), with whether
-- it is endorsed (a live endorsement points at it) and the contest's stage and election.
select e.slug as election, f.stage_kind as stage, f.stage_id, f.contest_id, f.office, f.level,
       f.district, f.contest_party, f.seats, f.candidacy_id, f.ballot_name, f.parties,
       f.incumbent, f.write_in, f.votes, f.votes_cast, f.percent, f.winner, f.margin, f.close,
       f.precincts_reporting, f.precincts_total, f.source_status, f.call_status, f.outcome,
       f.reason, f.tally, f.called_by_staff, f.certified_by_staff, f.excluded_reason,
       f.disputed,
       exists (select 1 from endorsements en
                where en.candidacy_id = f.candidacy_id and en.deleted_at is null) as endorsed
  from contests c
  join stages s on s.id = c.stage_id
  join elections e on e.id = s.election_id
 cross join lateral figure_candidacies(array[c.stage_id], array[c.id]) f
 where c.id = :contest_id
 order by f.votes desc, f.ballot_name;

-- name: contest_head
-- One contest with its stage and election (a race with no candidacies yet still has a page).
select e.slug as election, s.kind as stage, s.id as stage_id, c.id as contest_id, c.office,
       c.level, c.district, c.party as contest_party, c.seats
  from contests c
  join stages s on s.id = c.stage_id
  join elections e on e.id = s.election_id
 where c.id = :contest_id;

-- name: race_sources
-- What each source said about a contest two sources carry (sql/0081), the one the results
-- hold first.
select t.source_id, so.format, so.url, t.status, t.totals::text as totals, t.updated_at,
       coalesce(cs.source_id = t.source_id, false) as kept
  from source_contest_totals t
  join sources so on so.id = t.source_id
  left join contest_status cs on cs.contest_id = t.contest_id
 where t.contest_id = :contest_id
 order by kept desc, t.source_id;
