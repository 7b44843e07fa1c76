"""netkb: campus network knowledge base — the kernel, and the namespace of everything else.

The kernel (this package) is the ground floor every part depends on: settings, inventory,
credentials, the project's place, YAML loading, i18n, the inspection checklist and engine
(`inspection/`), and the hand-written records (`records/`: incidents, on-site inspections,
runbooks, service calendars). `collector`, `generator` and `lab` build on it and never on each
other except through it; the command line (`netkb.cli`) sits on top of everything.

In a source checkout `collector/`, `generator/` and `lab/` stay top-level folders, as the
design card shows them; they are `netkb.collector`, `netkb.generator` and `netkb.lab` (an
installed wheel holds them inside netkb/, see pyproject.toml `package-dir`).
"""

import warnings
from pathlib import Path

# asyncssh (the lab) and paramiko still import DSA support, which cryptography deprecates with a
# warning on every command; netkb never uses DSA keys, so it is noise, not news.
warnings.filterwarnings("ignore", message="DSA is deprecated")

_checkout = Path(__file__).resolve().parent.parent
if (_checkout / "collector" / "__init__.py").is_file() and str(_checkout) not in __path__:
    __path__.append(str(_checkout))
