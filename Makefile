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

.PHONY: workshop test bench bench-room install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

workshop: install
	@echo ""
	@echo "  Bond Lab is starting at  http://localhost:$(PORT)/"
	@if [ "$(HOST)" != "localhost" ]; then echo "  Others on this network:   http://$$(hostname -I 2>/dev/null | cut -d' ' -f1):$(PORT)/"; fi
	@echo "  (first page in a few seconds; stop it with Ctrl+C)"
	@echo ""
	BONDLAB_ROOM=$(ROOM) $(BIN)/voila notebooks/ --port=$(PORT) --Voila.ip=$(HOST) --no-browser

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

clean:
	rm -rf $(VENV) .pytest_cache
