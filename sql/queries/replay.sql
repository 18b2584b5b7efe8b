-- name: election_row
-- An election by slug, with what marks scratch data.
select id, slug, name, demo, replay_of from elections where slug = :slug;

-- name: copy_contests
-- The ballot staff shaped (seats, party caps, levels), onto the replay's stages of the same kind.
insert into contests (stage_id, office, level, district, party, seats, vote_variation, party_cap,
                      source_office)
select ns.id, c.office, c.level, c.district, c.party, c.seats, c.vote_variation, c.party_cap,
       c.source_office
  from contests c
  join stages os on os.id = c.stage_id and os.election_id = :from_id
  join stages ns on ns.election_id = :to_id and ns.kind = os.kind;

-- name: copy_candidacies
-- The candidacies with what staff set on them (withdrawals, incumbency, a winner list).
insert into candidacies (contest_id, candidate_id, ballot_name, parties, incumbent, write_in,
                         withdrew_on, declared_winner)
select nc.id, cd.candidate_id, cd.ballot_name, cd.parties, cd.incumbent, cd.write_in,
       cd.withdrew_on, cd.declared_winner
  from candidacies cd
  join contests c on c.id = cd.contest_id
  join stages os on os.id = c.stage_id and os.election_id = :from_id
  join stages ns on ns.election_id = :to_id and ns.kind = os.kind
  join contests nc on nc.stage_id = ns.id and nc.office = c.office and nc.district = c.district
                  and nc.party = c.party;

-- name: copy_endorsements
-- The live endorsements, each matched to the replay's copy of the candidacy it is matched to.
insert into endorsements (stage_id, body_id, office, office_typed, district, candidate,
                          party, candidacy_id, match_method, endorsed_on, rescinded_on,
                          rescind_reason, late_ok, notes, created_by, updated_by)
select ns.id, en.body_id, en.office, en.office_typed, en.district, en.candidate, en.party,
       ncd.id, case when ncd.id is not null then en.match_method end, en.endorsed_on,
       en.rescinded_on, en.rescind_reason, en.late_ok, en.notes, :actor, :actor
  from endorsements en
  join stages os on os.id = en.stage_id and os.election_id = :from_id
  join stages ns on ns.election_id = :to_id and ns.kind = os.kind
  left join candidacies ocd on ocd.id = en.candidacy_id
  left join contests oc on oc.id = ocd.contest_id
  left join contests nc on nc.stage_id = ns.id and nc.office = oc.office
                       and nc.district = oc.district and nc.party = oc.party
  left join candidacies ncd on ncd.contest_id = nc.id and ncd.candidate_id = ocd.candidate_id
 where en.deleted_at is null;

-- name: election_sources
-- The sources of an election with the kind of their stage.
select so.id, st.kind, so.format, so.url, so.mapping, so.schedule_seconds
  from sources so
  join stages st on st.id = so.stage_id
 where st.election_id = :election_id
 order by so.id;

-- name: insert_replay_source
-- The replay's copy of a source: never polled, it only takes the stored snapshots.
insert into sources (stage_id, format, url, mapping, schedule_seconds, enabled)
select st.id, :format, :url, :mapping, :schedule_seconds, false
  from stages st
 where st.election_id = :election_id and st.kind = :kind
returning id;

-- name: night_snapshots
-- Every payload the night stored, in the order it was fetched (bodies apart: they can be big).
select sn.id, sn.source_id, sn.fetched_at, sn.version, sn.headers, sn.mapping, sn.released_by,
       sn.note
  from snapshots sn
  join sources so on so.id = sn.source_id
  join stages st on st.id = so.stage_id
 where st.election_id = :election_id
 order by sn.fetched_at, sn.id;

-- name: snapshot_body
-- One stored payload, zlib-compressed.
select body from snapshots where id = :id;
