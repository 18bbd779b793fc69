# Bond Lab: `make workshop` starts the workshop, `make test` runs every test.
# Both create .venv on first use; nothing else needs installing by hand.

PYTHON ?= python3
PORT ?= 8866
# Workshop pages kept ready for a room: ROOM=30 make workshop (default 1: one person alone).
ROOM ?= 1
# localhost: only this computer. For a room: HOST=0.0.0.0 (every address of this laptop).
HOST ?= localhost
VENV := .venv
BIN := $(VENV)/bin
# The kit's Voila template lives in share/jupyter, its Voila settings in etc/jupyter.
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))
export JUPYTER_CONFIG_PATH := $(CURDIR)/etc/jupyter$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))

.PHONY: workshop lab lab-student test bench bench-room bench-hub install install-test install-hub hub-proxy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-hub: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[hub]'
	touch $(VENV)/.installed $@

# JupyterHub's proxy comes from npm (needs node and npm; .ci/run installs them on CI).
PROXY := $(VENV)/hub/node_modules/.bin/configurable-http-proxy
$(PROXY): | $(BIN)/python
	npm install --silent --no-fund --no-audit --prefix $(VENV)/hub configurable-http-proxy@5

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(PROXY)
# What hub/public_bondlab.py runs with (see README, "Past one machine").
install-hub: $(VENV)/.installed-hub $(PROXY)
hub-proxy: $(PROXY)

workshop: install
	@echo ""
	@echo "  Bond Lab is starting at  http://localhost:$(PORT)/"
	@if [ "$(HOST)" != "localhost" ]; then echo "  Others on this network:   http://$$(hostname -I 2>/dev/null | cut -d' ' -f1):$(PORT)/"; fi
	@echo "  (first page in a few seconds; stop it with Ctrl+C)"
	@echo ""
	BONDLAB_ROOM=$(ROOM) $(BIN)/voila notebooks/ --port=$(PORT) --Voila.ip=$(HOST) --no-browser

# The lab notebooks for university teaching (labs/), in JupyterLab: a person's command, never
# CI's. The kit's Voila settings are left out (nothing here is a workshop page), and JupyterLab
# fetches no news feed and asks PyPI for no update (no host but this one).
LAB_PORT ?= 8888
LAB_ARGS := --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
lab: install
	JUPYTER_CONFIG_PATH= $(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) $(LAB_ARGS) \
		--LabApp.default_url=/lab/tree/labs --port=$(LAB_PORT) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# The student lab notebooks (labs/student/) from the instructor ones (labs/instructor/).
lab-student: install
	$(BIN)/python labs/build_student.py

test: install-test
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python bench/bench_engine.py
	@if [ -f bench/bench_widgets.py ]; then $(BIN)/python bench/bench_widgets.py; fi

# The room benchmark (about 40 minutes on 2 cores: start-up, 20 bursts of 30, sliders for
# rooms of 10/20/30, a day of 200 visits). Fewer: make bench-room ROOM_ARGS="--bursts 5".
ROOM_ARGS ?=
bench-room: install-test
	$(BIN)/python bench/bench_room.py $(ROOM_ARGS)

# Hub sizing: the workshop opened by 10, 20 and 30 hub users at once (a few minutes per size).
HUB_ARGS ?=
bench-hub: install-test
	$(BIN)/python bench/bench_hub.py $(HUB_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
