"""The invented election night of tests/fixtures/20261103_elmvale_night, worked out by hand.

Per precinct (Elmvale 1-3, Harrow Point 1-2), see make_night_fixtures.CONTESTS. v1 has
Elmvale 1 and Harrow Point 1 in; v3 corrects Delgado/DEM in Elmvale 2 (250 -> 255) and
Hale in Elmvale 3 (240 -> 238). Every format must produce these candidate totals.
"""

from __future__ import annotations

SLUG = "2026-ct-general"
GOV = ("Governor", "")
SEN = ("State Senate", "9")
BOE = ("Board of Education", "Elmvale")

# version -> contest -> candidate -> total votes (party lines summed)
TOTALS: dict[int, dict[tuple[str, str], dict[str, int]]] = {
    0: {
        GOV: {"Rosa Delgado": 0, "Martin Hale": 0, "Write-ins": 0},
        SEN: {"Ian Cho": 0, "Beth Lyle": 0},
        BOE: {"Ana Ruiz": 0, "Kay Moss": 0, "Tom Best": 0},
    },
    1: {
        # Delgado 300 + 180 (DEM) + 20 + 12 (WF) = 512; Hale 280 + 150; write-ins 1 + 0
        GOV: {"Rosa Delgado": 512, "Martin Hale": 430, "Write-ins": 1},
        # Cho 290 + 175; Lyle 270 + 140 (REP) + 25 + 10 (IND) = 445
        SEN: {"Ian Cho": 465, "Beth Lyle": 445},
        # Elmvale 1 only
        BOE: {"Ana Ruiz": 210, "Kay Moss": 180, "Tom Best": 260},
    },
    2: {
        # Delgado 300+250+200+180+170 = 1100 (DEM) + 20+15+10+12+8 = 65 (WF) = 1165
        # Hale 280+260+240+150+160 = 1090; write-ins 1+0+2+0+1 = 4
        GOV: {"Rosa Delgado": 1165, "Martin Hale": 1090, "Write-ins": 4},
        # Cho 290+240+190+175+165 = 1060; Lyle 270+255+230+140+150 = 1045 + 25+20+15+10+12 = 82
        SEN: {"Ian Cho": 1060, "Beth Lyle": 1127},
        # Ruiz 210+190+150; Moss 180+170+160; Best 260+230+205
        BOE: {"Ana Ruiz": 550, "Kay Moss": 510, "Tom Best": 695},
    },
    3: {
        # canvass: Delgado DEM 1100 + 5 = 1105 (+ 65 WF) = 1170; Hale 1090 - 2 = 1088
        GOV: {"Rosa Delgado": 1170, "Martin Hale": 1088, "Write-ins": 4},
        SEN: {"Ian Cho": 1060, "Beth Lyle": 1127},
        BOE: {"Ana Ruiz": 550, "Kay Moss": 510, "Tom Best": 695},
    },
}
# version -> contest -> (precincts reporting, total); the HTML page states one page-wide count
PRECINCTS = {
    0: {GOV: (0, 5), SEN: (0, 5), BOE: (0, 3)},
    1: {GOV: (2, 5), SEN: (2, 5), BOE: (1, 3)},
    2: {GOV: (5, 5), SEN: (5, 5), BOE: (3, 3)},
    3: {GOV: (5, 5), SEN: (5, 5), BOE: (3, 3)},
}
# party lines of Delgado at v2: the fusion breakdown the API shows
DELGADO_LINES_V2 = {"Democratic Party": 1100, "Working Families Party": 65}
SEATS = {GOV: 1, SEN: 1, BOE: 2}


def comment(version: int) -> str:
    """The hand totals, as written into the XML and HTML fixtures' comments."""
    lines = [f" version v{version}, hand-computed totals (party lines summed):"]
    for (office, district), people in TOTALS[version].items():
        done, total = PRECINCTS[version][(office, district)]
        shown = ", ".join(f"{name} {votes}" for name, votes in people.items())
        lines.append(f"   {office} {district}".rstrip() + f" ({done} of {total}): {shown}")
    return "\n".join(lines) + "\n"
