-- A server's Retry-After is kept with the source, not in one worker's memory (issue 14, item 2).
--
-- A 429/503 whose Retry-After reaches past a poll's deadline used to hold the source back only
-- in the worker process that heard it: a second worker, `endorse worker --once` from cron, or a
-- restarted worker asked again at the next interval, more often than the server allowed. Every
-- poll reads this column (source_for_poll) before it fetches; a poll that gets an answer clears it.

alter table sources add column retry_not_before timestamptz;

comment on column sources.retry_not_before is
  'the upstream asked (Retry-After) not to be asked before this time; no poll fetches earlier';
