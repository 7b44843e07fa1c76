# netkb — every target creates and uses its own virtual environment in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LAB    := .lab/demo
# Material prints a banner about its future on every build; the tests read the build's warnings.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install compile demo site serve test check lint typecheck bench bench-lab bench-collect bench-site bench-hung bench-baseline clean

help:
	@echo "make demo      start the lab, check every device with netmiko, collect it into configs/, stop"
	@echo "make test      run all tests (unit, lab integration over real SSH)"
	@echo "make site      generate the Markdown tree and build the site into site/"
	@echo "make serve     serve the site on http://127.0.0.1:8000"
	@echo "make check     ruff + mypy + tests"
	@echo "make bench     benchmarks (prints figures); make bench-lab for the 1,000-device lab"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory compile
	touch $(STAMP)

# Bytecode for netkb's own modules: an editable install leaves them uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set (as on CI images) every run would compile them again.
compile:
	@$(BIN)/python -m compileall -q netkb collector generator lab bench

install: $(STAMP)

# The topology maps are drawn by Debian's Graphviz (`dot`) through the graphviz Python package.
GRAPHVIZ_STAMP := $(VENV)/.graphviz-stamp
$(GRAPHVIZ_STAMP): | $(STAMP)
	@command -v dot >/dev/null || { \
	  echo "installing Debian's graphviz for the topology maps (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; }
	@command -v dot >/dev/null || { echo "graphviz is missing: apt-get install graphviz"; exit 1; }
	touch $(GRAPHVIZ_STAMP)

# The demo: the embedded lab replays 90 days of a campus term (lab/scenarios/campus.yaml: config
# changes, an upgrade, hardware faults, outages) with a collect every night, into its own
# snapshot repository (.demo/configs); then the site of it, with the records under demo/.
DEMO_NOW := 2026-11-25T09:00+08:00
demo: $(STAMP) $(GRAPHVIZ_STAMP)
	@$(BIN)/netkb lab --state $(LAB) stop >/dev/null
	rm -rf .demo
	$(BIN)/netkb lab --state $(LAB) start
	@status=0; \
	  $(BIN)/netkb lab --state $(LAB) scenario lab/scenarios/campus.yaml --settings demo/netkb.yml || status=$$?; \
	  $(BIN)/netkb lab --state $(LAB) stop; exit $$status
	$(BIN)/netkb generate --inventory $(LAB)/inventory.yml --settings demo/netkb.yml --records demo --now $(DEMO_NOW)
	$(BIN)/mkdocs build -q --strict
	@echo
	@echo "The demo site is in site/ -- browse it with: make serve   (http://127.0.0.1:8000)"
	@echo "Its snapshot repository: git -C .demo/configs log --stat   (git -C .demo/configs log -p devices/agg-lib)"

# The site from the snapshot repository (settings: netkb.yml; records: runbooks/ incidents/ inspections/).
site: $(STAMP) $(GRAPHVIZ_STAMP)
	$(BIN)/netkb generate $(GENERATE_ARGS)
	$(BIN)/mkdocs build --strict
	@echo "site: site/index.html (make serve to browse it)"

serve: $(STAMP) $(GRAPHVIZ_STAMP)
	@[ -f build/mkdocs.yml ] || $(BIN)/netkb generate $(GENERATE_ARGS)
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
CHROMIUM_STAMP := $(VENV)/.chromium-stamp
$(CHROMIUM_STAMP): | $(STAMP)
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium"; exit 1; }
	touch $(CHROMIUM_STAMP)

# The import of RANCID's CVS history reads its RCS files with Debian's rcs (rlog, co; ci in tests).
RCS_STAMP := $(VENV)/.rcs-stamp
$(RCS_STAMP): | $(STAMP)
	@command -v rlog >/dev/null || { \
	  echo "installing Debian's rcs for the RANCID CVS import tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rcs >/dev/null; }
	@command -v rlog >/dev/null || { echo "rcs is missing: apt-get install rcs"; exit 1; }
	touch $(RCS_STAMP)

test: $(STAMP) $(CHROMIUM_STAMP) $(RCS_STAMP) $(GRAPHVIZ_STAMP)
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy cannot follow the checkout's mapping of collector/, generator/ and lab/ into the netkb
# namespace (netkb/__init__.py): it checks a tree of links laid out as the installed package.
typecheck: $(STAMP)
	@rm -rf build/typecheck && mkdir -p build/typecheck/netkb
	@for f in netkb/*; do ln -s "$(CURDIR)/$$f" build/typecheck/netkb/; done
	@for d in collector generator lab; do ln -s "$(CURDIR)/$$d" build/typecheck/netkb/$$d; done
	cd build/typecheck && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p netkb

check: lint typecheck test

bench: bench-lab bench-collect bench-site bench-hung bench-baseline

bench-lab: $(STAMP)
	$(BIN)/python bench/bench_lab.py

bench-collect: $(STAMP)
	$(BIN)/python bench/bench_collect.py

# 200 lab devices, 20 of them hung after login: what they add to a run (about one device timeout).
bench-hung: $(STAMP)
	$(BIN)/python bench/bench_hung.py

# What the security baseline and the topology add to a nightly generation on the same synthetic
# year (at most 20 %): a cold generation, then one more night.
bench-baseline: $(STAMP) compile
	$(BIN)/python bench/bench_baseline.py

# The recommended deployment: a synthetic year (1,000 devices x 365 nights, four shard records a
# night, cached in build/bench-site/ under a fingerprint of its sources; about 40 minutes to build on
# a loaded machine), the team's records scaled from demo/, then five timed CI nights (a night, an
# incident, a device, a setting, a runbook edit): generation + mkdocs build, the slowest vs targets.
bench-site: $(STAMP) compile
	$(BIN)/python bench/bench_site.py

clean:
	rm -rf $(VENV) build site .lab .pytest_cache .mypy_cache .ruff_cache
