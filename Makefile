# Ascent Lab: every command a developer or CI needs.
#   make run    create .venv, install, open the app on a built-in dataset
#   make test   create .venv, install dev extras (+ Qt system libs as root), lint, run the suite offscreen
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

QT_SYSTEM_LIBS := libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 \
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libx11-6 libx11-xcb1 libxkbcommon0 \
  libxkbcommon-x11-0 libegl1 libgl1 libglx0 libglvnd0 libfontconfig1 libfreetype6 \
  libdbus-1-3 libglib2.0-0 fonts-dejavu-core

.PHONY: run test lint unit bench package package-onefile package-test system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(PIP) install -q -e ".[dev]"
	touch $@

# Installs the Qt runtime libraries that are missing (only as root, only with apt-get).
system-deps:
	@missing=""; for p in $(QT_SYSTEM_LIBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "Qt system libraries: all present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing Qt system libraries:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Missing Qt system libraries (install them as root):$$missing"; fi

run: $(STAMP)
	$(VENV)/bin/ascent-lab

lint: $(DEVSTAMP)
	$(PY) -m ruff check core gui tests benchmarks scripts packaging
	$(PY) -m mypy core

unit: $(DEVSTAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

test: system-deps $(DEVSTAMP) lint unit

bench: $(DEVSTAMP)
	$(PY) benchmarks/steps.py
	$(PY) benchmarks/grid.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/frames.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/latency.py

# Desktop app (PyInstaller, see packaging/ and the README): dist/ascent-lab/ + .tar.gz,
# a single-file build, and the frozen app's self-test offscreen (builds first if stale).
package: $(STAMP)
	@[ $(VENV)/.installed-package -nt pyproject.toml ] || { $(PIP) install -q -e ".[package]" && touch $(VENV)/.installed-package; }
	PY=$(PY) packaging/build.sh

package-onefile: $(STAMP)
	@[ $(VENV)/.installed-package -nt pyproject.toml ] || { $(PIP) install -q -e ".[package]" && touch $(VENV)/.installed-package; }
	PY=$(PY) packaging/build.sh --onefile

package-test: system-deps $(STAMP)
	@[ $(VENV)/.installed-package -nt pyproject.toml ] || { $(PIP) install -q -e ".[package]" && touch $(VENV)/.installed-package; }
	PY=$(PY) packaging/build.sh --if-stale
	$(PY) packaging/test_frozen.py dist/ascent-lab/ascent-lab

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
