-- Demo and rehearsal data never mix silently with real work: `make run` on a fresh clone fills
-- the database with a fictional election night, and `endorse replay` copies a past night into
-- a scratch election. Both are marked, so every page can show a banner and `endorse demo
-- --remove` (or `endorse replay --remove`) can delete exactly what they created.

alter table elections add column demo boolean not null default false;
-- the election a replay was copied from; a replay is scratch data, removable like the demo
alter table elections add column replay_of bigint references elections on delete set null;
-- the demo's endorsing bodies (a fictional federation and its locals) go with it
alter table bodies add column demo boolean not null default false;
