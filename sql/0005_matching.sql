-- Baseline (squashed before anything was deployed; see README).
-- Matching endorsements to ballot candidates: the nickname table the name matcher
-- reads, the review queue for uncertain matches, and the decisions people made on them.
--
-- Decisions are keyed by names and contest identity (canonical office, normalized district),
-- not by ids, so "Bill Tong" confirmed as "William Tong" for Attorney General on the 2018 ballot
-- is matched again on the 2022 ballot without asking, and a rejection is never asked twice.

-- nickname -> the formal given name it stands for; both lower-case without accents.
-- Two first names are the same person's when they are equal or share a formal name
-- (bill ~ william, bill ~ will). Add rows freely; the matcher reads the table on every run.
create table nicknames (
    nickname  text not null check (nickname = lower(nickname) and length(nickname) > 0),
    given     text not null check (given = lower(given) and length(given) > 0),
    primary key (nickname, given)
);

insert into nicknames (nickname, given) values
    ('bill', 'william'), ('billy', 'william'), ('will', 'william'), ('willie', 'william'),
    ('liam', 'william'),
    ('bob', 'robert'), ('bobby', 'robert'), ('rob', 'robert'), ('robbie', 'robert'),
    ('bert', 'robert'),
    ('beth', 'elizabeth'), ('liz', 'elizabeth'), ('lizzie', 'elizabeth'), ('betsy', 'elizabeth'),
    ('betty', 'elizabeth'), ('eliza', 'elizabeth'), ('liza', 'elizabeth'), ('libby', 'elizabeth'),
    ('jim', 'james'), ('jimmy', 'james'), ('jamie', 'james'),
    ('mike', 'michael'), ('mick', 'michael'), ('mickey', 'michael'),
    ('tom', 'thomas'), ('tommy', 'thomas'),
    ('dick', 'richard'), ('rick', 'richard'), ('rich', 'richard'), ('ricky', 'richard'),
    ('kate', 'katherine'), ('katie', 'katherine'), ('kathy', 'katherine'), ('kay', 'katherine'),
    ('kate', 'catherine'), ('katie', 'catherine'), ('cathy', 'catherine'),
    ('kathy', 'kathleen'), ('kate', 'kathryn'), ('kathy', 'kathryn'),
    ('joe', 'joseph'), ('joey', 'joseph'),
    ('tony', 'anthony'),
    ('dan', 'daniel'), ('danny', 'daniel'),
    ('dave', 'david'),
    ('steve', 'steven'), ('steve', 'stephen'),
    ('chris', 'christopher'), ('chris', 'christine'), ('chris', 'christina'),
    ('ed', 'edward'), ('eddie', 'edward'), ('ted', 'edward'), ('ned', 'edward'),
    ('ted', 'theodore'),
    ('jack', 'john'), ('johnny', 'john'),
    ('jon', 'jonathan'),
    ('pat', 'patrick'), ('pat', 'patricia'), ('patty', 'patricia'), ('trish', 'patricia'),
    ('sue', 'susan'), ('susie', 'susan'),
    ('peggy', 'margaret'), ('maggie', 'margaret'), ('meg', 'margaret'), ('marge', 'margaret'),
    ('jen', 'jennifer'), ('jenny', 'jennifer'),
    ('matt', 'matthew'),
    ('andy', 'andrew'), ('drew', 'andrew'),
    ('tim', 'timothy'),
    ('greg', 'gregory'),
    ('len', 'leonard'), ('lenny', 'leonard'),
    ('larry', 'lawrence'),
    ('ron', 'ronald'), ('don', 'donald'),
    ('nick', 'nicholas'),
    ('sam', 'samuel'), ('sam', 'samantha'),
    ('alex', 'alexander'), ('alex', 'alexandra'),
    ('al', 'albert'), ('al', 'alan'), ('al', 'alfred'),
    ('ben', 'benjamin'),
    ('charlie', 'charles'), ('chuck', 'charles'),
    ('fred', 'frederick'),
    ('frank', 'francis'),
    ('gerry', 'gerald'), ('jerry', 'gerald'), ('jerry', 'jerome'),
    ('harry', 'harold'), ('hank', 'henry'),
    ('ken', 'kenneth'), ('kenny', 'kenneth'),
    ('ray', 'raymond'),
    ('phil', 'philip'), ('phil', 'phillip'),
    ('pete', 'peter'),
    ('walt', 'walter'),
    ('vin', 'vincent'), ('vinny', 'vincent'),
    ('deb', 'deborah'), ('debbie', 'deborah'),
    ('cindy', 'cynthia'),
    ('barb', 'barbara'),
    ('terry', 'teresa'), ('terri', 'teresa'), ('terry', 'terrence'),
    ('mandy', 'amanda'),
    ('becky', 'rebecca'),
    ('gene', 'eugene'),
    ('stan', 'stanley'),
    ('doug', 'douglas'),
    ('jeff', 'jeffrey'),
    ('josh', 'joshua'),
    ('sandy', 'sandra'),
    ('vicky', 'victoria'),
    ('toni', 'antoinette'),
    ('gabe', 'gabriel'),
    ('zach', 'zachary');

-- One row per uncertain match waiting for (or decided by) a person. At most one open review
-- per endorsement: the best candidate not yet rejected. 'stale' = the endorsement or the
-- ballot changed and the proposal no longer applies.
create table match_reviews (
    id              bigint generated always as identity primary key,
    endorsement_id  bigint not null references endorsements on delete cascade,
    candidacy_id    bigint not null references candidacies on delete cascade,
    score           int not null check (score between 0 and 100),
    typed_name      text not null,
    ballot_name     text not null,
    status          text not null default 'open'
                    check (status in ('open', 'confirmed', 'rejected', 'stale')),
    created_at      timestamptz not null default now(),
    decided_at      timestamptz,
    decided_by      text
);
create unique index match_reviews_one_open_idx on match_reviews (endorsement_id)
    where status = 'open';

-- What people decided, reused by every later run: keys are endorse.matching.names.person_key()
-- of the typed and the ballot name (accents, case, punctuation and "LAST, FIRST" folded).
create table match_decisions (
    typed_key   text not null,
    ballot_key  text not null,
    office      text not null,   -- canonical office (endorse.vocab)
    district    text not null,   -- normalized district
    decision    text not null check (decision in ('confirmed', 'rejected')),
    decided_by  text not null,
    decided_at  timestamptz not null default now(),
    primary key (typed_key, ballot_key, office, district)
);
