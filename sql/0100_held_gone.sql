-- A contest gone from a payload is a held correction too (issue 14, item 3: "vanished contests").
--
-- A feed that stops carrying a contest its source last wrote says nothing about it: the contest
-- keeps its last numbers (as before), and now a hold says so where staff look, until the feed
-- carries it again (superseded) or a person accepts that it is gone (the numbers stay; the
-- source is not asked about it again until it writes it anew). `gone` tells such a hold from
-- one whose counts went backwards: there is nothing in its snapshot to apply.

alter table held_corrections add column gone boolean not null default false;
