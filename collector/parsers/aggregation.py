"""Link aggregation membership (issue 20 §1): which physical ports are members of which
aggregate, and whether each is selected (bundled, forwarding). One schema for every platform,
state topic `aggregation`: `{aggregate, member, selected}` with full interface names, so the
campus graph (generator/topology.py) draws the members of one aggregate as one thick link.

- Comware `display link-aggregation verbose`: an `Aggregate Interface:` (Comware 7) or
  `Aggregation Interface:` (Comware 5, routers) block per aggregate, its `Local:` ports with a
  status letter (S selected, U unselected, I individual);
- VRP `display eth-trunk`: an `Eth-TrunkN's state information is:` block per trunk, its ports
  with `Up`/`Down` (manual mode) or `Selected`/`Unselect` (LACP); `Info: No valid trunk in the
  system.` when there is none;
- IOS `show etherchannel summary`: a group per line (its members may wrap onto indented lines),
  members with their flags (`P`/`bndl` bundled). Read here rather than through ntc-templates,
  whose template backtracks for seconds on a damaged line.

The parsers are comware_aggregation.py, vrp_aggregation.py and ios_aggregation.py. Each
parser checks that every aggregate it saw came back (a block it could not read is an
error, never a link silently shown as single).
"""

from __future__ import annotations

Row = dict[str, object]


def member(aggregate: str, port: str, selected: bool) -> Row:
    """One member port of an aggregate, in the schema every platform's parser returns."""
    return {"aggregate": aggregate, "member": port, "selected": selected}
