-- The name staff typed for an endorsed candidate has one name everywhere: `candidate`, the
-- word the API and the import/export CSV header already used. It was also
-- endorsements.candidate_name and match_reviews.typed_name (issue 16); four names for one thing
-- made every reader ask whether they differ. The ballot's spelling stays ballot_name.
--
-- Renaming keeps the data, the check, the generated candidate_key and the identity index
-- (they follow the column). The views and functions that read these columns live in
-- sql/functions/ and are applied again after this file because their text changed.
alter table endorsements rename column candidate_name to candidate;
alter table match_reviews rename column typed_name to candidate;

-- The stored images of endorsement rows (every version, and the audit log's before/after) are
-- read back by the same code as live rows (the history page, the import's comparison), so they
-- take the new key too; nothing else in them changes. Nothing had been deployed yet.
update endorsement_versions
   set data = (data - 'candidate_name') || jsonb_build_object('candidate', data -> 'candidate_name')
 where data ? 'candidate_name';

update audit_log
   set before = (before - 'candidate_name') || jsonb_build_object('candidate', before -> 'candidate_name')
 where entity = 'endorsements' and before ? 'candidate_name';
update audit_log
   set after = (after - 'candidate_name') || jsonb_build_object('candidate', after -> 'candidate_name')
 where entity = 'endorsements' and after ? 'candidate_name';
