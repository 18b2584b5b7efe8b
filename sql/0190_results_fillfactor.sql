-- results pages keep a tenth free, so a re-poll's new counts stay on their row's page.
--
-- COPY fills a page to the brim, and an UPDATE that finds no room on the row's page writes the
-- new row version on another page and a new entry into the primary key for it (even though no
-- key column changed). A re-poll with 5% of 200,000 counts moved spent about half of its
-- UPDATE there (10,000 key insertions; server CPU 120-170 ms against 80-130 ms with this, 85%
-- of the updates then heap-only). Dead versions left by earlier polls are pruned from the page
-- when it fills again. The cost: 11% more pages (2,336 -> 2,600 at 200,000 rows).
-- Pages already full keep no room until they are rewritten; new loads get it at once.
alter table results set (fillfactor = 90);
