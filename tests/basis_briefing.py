"""A small briefing whose links, dates and positions have every basis, for the basis tests."""

from __future__ import annotations

# The article says the crates are only headed to the port, hedged; the owner
# is the editor's reading; the storm's date is an upper bound from outside
# reporting; the sea's position is the editor's placeholder; the harbour
# master speaks twice on the same day.
BASIS = """\
format = 1

[meta]
headline = "Freighter stalls at sea"
unstated = ["publication", "author", "published", "url"]

[[sections]]
id = "lede"
kind = "lede"
paragraphs = ["A freighter stalled in the open sea."]

[[sections]]
id = "body"
kind = "body"
title = "At sea"
paragraphs = [
  "The crates are reportedly being moved to the port. The Orion stalled on Friday.",
  "The harbour master said so twice.",
]

[[assets]]
id = "orion"
name = "Orion"
kind = "ship"
owner = "shipping-line"
location = "open-sea"
reported_by = ["harbour-master"]
links.owner = { basis = "inferred", note = "Its funnel bears the line's colours." }
links.reported_by = { basis = "external", source = "Coastal Gazette, 2024-03-02" }

[[assets]]
id = "crates"
name = "crates"
kind = "equipment"
location = "port"
evidence = ["The crates are reportedly being moved to the port."]
links.location = { basis = "intended", hedge = "reportedly being moved to" }

[[actors]]
id = "shipping-line"
name = "Blue Line"
kind = "company"

[[actors]]
id = "harbour-master"
name = "The harbour master"
kind = "person"
affiliation = "shipping-line"
links.affiliation = { basis = "hedged", hedge = "reportedly" }

[[quotes]]
id = "master-first"
speaker = "harbour-master"
text = "The engine has stopped and the ship is adrift."
section = "body"
when = { date = 2024-03-01, precision = "exact", basis = "external", source = "Coastal Gazette, 2024-03-02" }

[[quotes]]
id = "master-second"
speaker = "harbour-master"
text = "A tug is on its way from the port."
section = "body"
when = { date = 2024-03-01, precision = "exact", basis = "external", source = "Coastal Gazette, 2024-03-02" }

[[locations]]
id = "open-sea"
name = "the open sea"
kind = "sea_area"

[locations.position]
lat = 45.0
lon = -20.0
precision = "approximate"
basis = "editor"
uncertainty_km = 400
note = "A placeholder: no position is reported."

[[locations]]
id = "port"
name = "the port"
kind = "port"

[locations.position]
lat = 44.5
lon = -1.5
precision = "approximate"
basis = "external"
uncertainty_km = 5
source = "Harbour Atlas, 2023 edition"

[[events]]
id = "orion-stall"
what = "The Orion stalled on Friday."
where = "open-sea"
reported_by = ["harbour-master"]
section = "body"
links.where = { basis = "inferred", note = "The article says the open sea, not where." }

[events.when]
date = 2024-03-01
precision = "exact"
basis = "external"
on_or_before = true
source = "Coastal Gazette, 2024-03-02"

[[events]]
id = "master-speaks"
what = "The harbour master said so twice."
reported_by = ["harbour-master"]
section = "body"

[events.when]
date = 2024-03-02
precision = "approximate"
basis = "editor"
note = "The day after the stall, at the earliest."
"""
