"""The demo's fictional state: towns, contests with their final returns, and the endorsements.

Everything here is invented. The state votes under Connecticut's election law (jurisdiction
"CT": fusion lines, the CGS 9-311a recanvass margin, the CGS 9-167a minority-party cap), so the
outcome rules have something to bite on. Only the final totals are written down; the returns
of every version of the night are generated from them, seeded (endorse.demo.returns).

Where each contest is reported from: the Secretary of the State's feed (CT layout) carries the
federal and state offices; Harbor City's own Clarity site carries its municipal contests.

THE TALLY AT THE END OF THE NIGHT, worked out by hand from the tables below (general stage):

  federal     WON 3  (U.S. Senate Marsh 64,350-55,870; House 1 Osei; House 3 Ortiz 21,010 with
                      the WF line - 20,200 with the I line)          LOST 1 (House 2 Feld)
  statewide   WON 3  (Governor Alvarez 61,200 D+WF - Kline 58,900 R+I; AG Raman; Treasurer
                      Mensah)                                         LOST 2 (SotS, Comptroller)
  senate      WON 12 (1 3 4 5 7 9 10 13 14 15 16 18; 4 is the Republican Foley; 9 is won only
                      because of the fusion line: Reyes D 10,120 < Becker R 10,390, but
                      D+WF 10,760 > R+I 10,510)                       LOST 4 (2 6 8 11)
              not counted: 12 (Vance, rescinded 2026-10-15); 17 (not endorsed)
  house       WON 20 (1 2 4 5 6 7 8 10 12 13 16 17 18 20 21 22 24 25 27 30; 7 is uncontested)
              LOST 6 (3 9 14 19 26 29)
              PENDING 1 (23: O'Brien 5,243 - Finch 5,230, margin 13 < 20 votes: recanvass)
              not counted: 11 (Carter, endorsed on election day, late), 15 (Moss withdrew
              2026-10-20); 28 (not endorsed)
  Harbor City WON 4  (Mayor Lin; Board of Education Silva and Okafor; Board of Finance Adler)
              LOST 2 (Board of Education Park: third by votes, but a third Democrat is over
              the cap of 2, so Hughes (R) takes the seat; Board of Finance Cole)

  total       WON 42, LOST 15, PENDING 1: 42 of 57 = 73.68% -> 74%; range 42/58 = 72% to
              43/58 = 74%. The sentence: "Of the 57 candidates we endorsed in the 2026 general
              election whose races have been decided, 42 won (74%); 1 more candidate's race
              is still pending, so the final rate will be between 72% and 74%."
              Not counted: 1 rescinded, 1 withdrew, 1 late, 2 unmatched. The misspelt
              duplicates from the locals never change a race (the federation endorsed each of
              those candidates under the ballot spelling): "Bill Chen", "Kathy Donnelly" and
              "Hellen Okafor" are matched by the matcher; "Jon Smyth" (ballot "Jonathan Smith")
              waits in the review queue; "David Pryor Sr." never matches the ballot's "David
              Pryor Jr." (a Jr/Sr mismatch never does). Unmatched: those last two.
"""

from __future__ import annotations

import datetime as dt

SLUG = "2026-demo-general"
NAME = "DEMO: 2026 State Election (fictional)"
DAY = dt.date(2026, 11, 3)
SEED = 2026_11_03
CT_ELECTION_ID = "501"

FEDERATION = "Lakeland Federation of Teachers"
LOCALS = (
    "Ashbury School Staff Local 318",
    "Eastlake Paraprofessionals Local 2210",
    "Harbor City Teachers Local 1041",
)

# town id -> (name, polling places)
TOWNS: dict[int, tuple[str, int]] = {
    1: ("Ashbury", 5),
    2: ("Birch Hollow", 4),
    3: ("Cold Spring", 4),
    4: ("Dunmore", 3),
    5: ("Eastlake", 5),
    6: ("Fenwick", 3),
    7: ("Glen Ridge", 4),
    8: ("Harbor City", 6),
}
CLARITY_TOWN = 8  # Harbor City reports its own municipal contests through Clarity

# Party lines. A candidate is (name, ((party, final votes), ...)): one pair per ballot line.
D, R, WF, IND, G, W = "D", "R", "WF", "I", "G", "W"
PARTIES = {
    D: "Democratic Party",
    R: "Republican Party",
    WF: "Working Families Party",
    IND: "Independent Party",
    G: "Green Party",
    W: "Write In",
}
Line = tuple[str, int]  # (party, final votes)
Candidate = tuple[str, tuple[Line, ...]]

# --- the Secretary of the State's feed ------------------------------------------------------
# (office as the feed names it, type (SW statewide, C congress, S senate, A assembly), district,
#  towns it covers, candidates)
Contest = tuple[str, str, str, tuple[int, ...], tuple[Candidate, ...]]
ALL = tuple(TOWNS)
CONTESTS: list[Contest] = [
    ("United States Senator", "SW", "0", ALL, (
        ("Elena Marsh", ((D, 61240), (WF, 3110))),
        ("Victor Hale", ((R, 55870),)),
    )),
    ("Representative in Congress 01", "C", "1", (1, 2, 3), (
        ("Daniel Osei", ((D, 21400),)),
        ("Karen Pruitt", ((R, 18950),)),
    )),
    ("Representative in Congress 02", "C", "2", (4, 5, 6), (
        ("Nora Feld", ((D, 17200),)),
        ("Brett Cowan", ((R, 19880),)),
    )),
    ("Representative in Congress 03", "C", "3", (7, 8), (
        ("Samuel Ortiz", ((D, 20110), (WF, 900))),
        ("Linda Gray", ((R, 19500), (IND, 700))),
    )),
    ("Governor", "SW", "0", ALL, (
        ("Maria Alvarez", ((D, 58300), (WF, 2900))),
        ("Robert Kline", ((R, 57100), (IND, 1800))),
        ("Iris Bell", ((G, 2100),)),
    )),
    ("Attorney General", "SW", "0", ALL, (
        ("Priya Raman", ((D, 60000),)),
        ("George Whitlock", ((R, 57500),)),
    )),
    ("Secretary of the State", "SW", "0", ALL, (
        ("Hannah Brooks", ((D, 56900),)),
        ("Martin Ruiz", ((R, 59800),)),
    )),
    ("State Treasurer", "SW", "0", ALL, (
        ("Kofi Mensah", ((D, 59100),)),
        ("Diane Carter", ((R, 56700),)),
    )),
    ("State Comptroller", "SW", "0", ALL, (
        ("Sean Kelly", ((D, 57000),)),
        ("Amy Lindgren", ((R, 58400),)),
    )),
]  # fmt: skip

# State senate: district -> (town, Democrat, votes, Republican, votes); fusion lines apart.
SENATE: dict[int, tuple[int, str, int, str, int]] = {
    1: (1, "Helen Okafor", 11020, "Gary Pelletier", 9310),
    2: (1, "Marcus Webb", 10450, "Joan Marchetti", 10980),
    3: (1, "Wei Zhang", 12300, "Ray Tully", 8900),
    4: (2, "Mark Dunn", 9800, "Janet Foley", 11200),
    5: (2, "Irene Castillo", 10700, "Peter Lindqvist", 10100),
    6: (3, "Omar Haddad", 9950, "Susan Kemp", 10600),
    7: (3, "William Chen", 11500, "Dana Whitfield", 9700),
    8: (4, "Ruth Kim", 8900, "Tom Best", 11400),
    9: (5, "Tom Reyes", 10120, "Carl Becker", 10390),  # + WF 640 / + I 120: see FUSION
    10: (5, "Lena Ford", 12800, "Sam Oduya", 7900),
    11: (5, "Ann Greco", 10050, "Walter Briggs", 10900),
    12: (6, "Paul Vance", 9500, "Alice Ng", 9900),
    13: (7, "Carla Benedetti", 11300, "Wayne Dufresne", 9100),
    14: (7, "Joseph Amato", 10200, "Lisa Hart", 10000),  # 200 of 20,200: over 0.5% (101)
    15: (8, "Jonathan Smith", 12100, "Greta Olsen", 8400),
    16: (8, "Priya Natarajan", 13000, "Thomas Greer", 7700),
    17: (8, "Derek Mills", 11800, "Nina Patel", 9000),
    18: (8, "Kathleen Donnelly", 12400, "Victor Sousa", 8100),
}
# State house: district -> (town, Democrat, votes, Republican or "" (none), votes)
HOUSE: dict[int, tuple[int, str, int, str, int]] = {
    1: (1, "Alan Brooks", 5200, "Beth Cole", 4100),
    2: (1, "Carmen Diaz", 5600, "Dean Eliot", 3900),
    3: (1, "Ellen Frost", 4300, "Fred Gaines", 4900),
    4: (1, "Gina Hall", 5050, "Hank Ives", 4400),
    5: (1, "David Pryor Jr.", 5400, "Ian Jacobs", 4200),
    6: (2, "Jill Kemp", 4950, "Kurt Lang", 4500),
    7: (2, "Rosa Delgado", 6210, "", 0),  # uncontested: a write-in line only (WRITE_INS)
    8: (2, "Liam Moore", 5300, "Mona Nash", 4000),
    9: (2, "Nick Olsen", 4100, "Olga Perry", 5200),
    10: (3, "Paula Quinn", 5700, "Quentin Rhodes", 3800),
    11: (3, "Ben Carter", 4800, "Hugo Lamb", 5100),
    12: (3, "Rita Stone", 5150, "Saul Tanner", 4600),
    13: (3, "Tess Underwood", 5900, "Umar Vick", 3700),
    14: (4, "Vera Wong", 4400, "Wes Young", 5000),
    15: (4, "Greg Moss", 1200, "Tina Walsh", 5900),  # Moss withdrew 2026-10-20 (WITHDRAWN)
    16: (5, "Yara Zeller", 5500, "Abe Archer", 4300),
    17: (5, "Bea Bishop", 5250, "Cal Church", 4700),
    18: (5, "Dora Dixon", 6000, "Eli Easton", 3500),
    19: (5, "Faye Fisher", 4200, "Gus Grant", 5300),
    20: (5, "Hal Hughes", 5350, "Ivy Irwin", 4650),
    21: (6, "Jade James", 5100, "Ken Kirby", 4500),
    22: (6, "Lou Lyons", 5800, "May Marsh", 3900),
    23: (7, "Kevin O'Brien", 5243, "Laura Finch", 5230),  # margin 13: recanvass (CGS 9-311a)
    24: (7, "Ned North", 5450, "Ona Owens", 4350),
    25: (7, "Pia Pace", 5650, "Quin Quade", 4050),
    26: (8, "Ray Rowe", 4500, "Sue Shaw", 5150),
    27: (8, "Ted Tate", 5950, "Una Upton", 3850),
    28: (8, "Val Vance", 5000, "Wyn Wolfe", 4800),
    29: (8, "Xia Xu", 4350, "Yul Yates", 5050),
    30: (8, "Zoe Zimmer", 6100, "Ada Abbott", 3600),
}
FUSION = {("S", 9): ((WF, 640), (IND, 120))}  # extra lines of (Democrat, Republican)
WRITE_INS = {("A", 7): 48}
WITHDRAWN = {("State House", "15", "Greg Moss"): dt.date(2026, 10, 20)}

# --- Harbor City's Clarity site (precincts "Harbor City 1" ... "Harbor City 6") -----------------
# (contest text as Clarity writes it, vote for N, party cap set by staff or None, candidates as
#  (name, party, final votes))
CLARITY: list[tuple[str, int, int | None, tuple[tuple[str, str, int], ...]]] = [
    ("Mayor - Harbor City", 1, None, (
        ("Grace Lin", "DEM", 14200),
        ("Owen Price", "REP", 11900),
    )),
    # CGS 9-167a: no more than 2 of the 3 from one party. Park (D) out-polls Hughes (R) but
    # would be the third Democrat, so Hughes takes the third seat.
    ("Board of Education - Harbor City", 3, 2, (
        ("Ana Silva", "DEM", 9800),
        ("Ben Okafor", "DEM", 9450),
        ("Chloe Park", "DEM", 9100),
        ("Dale Hughes", "REP", 8700),
        ("Erin Walsh", "REP", 7300),
        ("Frank Moretti", "REP", 7050),
    )),
    ("Board of Finance - Harbor City", 2, None, (
        ("Ruth Adler", "DEM", 12000),
        ("Sam Cole", "DEM", 11500),
        ("Tara Nash", "REP", 11800),
        ("Uma Reid", "REP", 10100),
    )),
]  # fmt: skip

# --- the endorsements, as staff would import them ----------------------------------------------
# (office, district, candidate as typed, party, body, endorsed on, extra columns)
ENDORSED_ON = "2026-09-20"
EXTRA_ENDORSEMENTS: list[tuple[str, str, str, str, str, str, dict[str, str]]] = [
    # too late to count: made on election day, accepted by staff with late_ok
    ("State House", "11", "Ben Carter", "Democratic", LOCALS[0], "2026-11-03", {"late_ok": "yes"}),
]
# The federation endorses the Democrat in every contest but these; the Republican in these:
SKIPPED = {("S", 17), ("A", 28), ("A", 11)}
REPUBLICAN = {("S", 4)}
RESCINDED = {("S", 12): ("2026-10-15", "voted against the pension bill")}
# How the federation types some names (the ballot spells them otherwise)
TYPED = {("A", 23): "O'Brien, Kevin"}
# Harbor City contests the federation endorses in: these candidates
MUNICIPAL = ("Grace Lin", "Ana Silva", "Ben Okafor", "Chloe Park", "Ruth Adler", "Sam Cole")
# Each local also endorses some of the federation's candidates: ("O", i) is CONTESTS[i], ("S", n)
# and ("A", n) senate and house districts, ("M", name) a Harbor City candidate; typed as given
# (None: as the federation typed it). The misspellings give the review queue its work.
LOCAL_PICKS: dict[str, list[tuple[str, int | str, str | None]]] = {
    LOCALS[0]: [
        ("S", 1, "Hellen Okafor"), ("S", 2, None), ("S", 3, None), ("S", 7, "Bill Chen"),
        ("A", 1, None), ("A", 2, None), ("A", 3, None), ("A", 4, None),
        ("A", 5, "David Pryor Sr."), ("O", 0, None),
    ],
    LOCALS[1]: [
        ("S", 9, None), ("S", 10, None), ("S", 11, None), ("A", 16, None), ("A", 17, None),
        ("A", 18, None), ("A", 19, None), ("A", 20, None), ("O", 2, None), ("O", 4, None),
    ],
    LOCALS[2]: [
        ("S", 15, "Jon Smyth"), ("S", 16, None), ("S", 18, "Kathy Donnelly"), ("A", 26, None),
        ("A", 27, None), ("A", 29, None), ("A", 30, None), ("M", "Grace Lin", None),
        ("M", "Ana Silva", None), ("M", "Ben Okafor", None), ("M", "Chloe Park", None),
        ("M", "Ruth Adler", None),
    ],
}  # fmt: skip
