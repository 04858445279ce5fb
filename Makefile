# The course's entry points. On a fresh Debian machine with Python 3.11:
#   make start   install everything, build the site, serve it and open JupyterLab on the course
#   make test    install everything the tests need and run every test
# Other targets: make book (build the site), make bench (benchmarks), make clean.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian's Python: every user of the machine may run it (a hub's learners too).
PYTHON ?= /usr/bin/python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMPS := .make
SITE_PORT ?= 8080
LAB_PORT ?= 8888
HUB_PORT ?= 8000
HUB_LOGIN ?= native

# Debian packages: to create the environment, and (in addition) to run the tests.
# libseccomp2: the grading sandbox's system call filter. bubblewrap: the benchmark weighs the
# sandbox against it.
APT_START := python3-venv python3-dev nodejs:node npm:npm git:git libseccomp2
APT_TEST := $(APT_START) postgresql chromium:chromium
APT_BENCH := bubblewrap:bwrap

BOOK_SOURCES := $(shell find book modules exercises/source templates -type f -not -path '*/__pycache__/*' 2>/dev/null) _config.yml

.PHONY: help start test book bench clean install install-test learner-branch

help:
	@echo "make start   build the course site, serve it on 127.0.0.1:$(SITE_PORT) and open JupyterLab on 127.0.0.1:$(LAB_PORT)"
	@echo "make test    run every test of the project"
	@echo "make book    build the course site into _build/html"
	@echo "make bench   run the benchmarks and print their tables"
	@echo "make grade ASSIGNMENT=budgeting_01   autograde the collected submissions of an assignment (JOBS=N at once)"
	@echo "make learner-branch   publish the branch learners pull (the course without solutions)"
	@echo "make hub    (as root) JupyterHub for a cohort on 127.0.0.1:$(HUB_PORT), every learner a Unix user; prints the demo accounts"
	@echo "make clean   remove the built site and generated files (keeps the virtual environment)"

$(STAMPS)/apt-start:
	@bash .ci/apt-install $(APT_START)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/apt-test: $(STAMPS)/apt-start
	@bash .ci/apt-install $(APT_TEST)
	@touch $@

# The virtual environment, with the exact versions of requirements.lock (jupyterlab-myst among them:
# JupyterLab renders the lessons' MyST as the site does) and the course's JupyterLab settings.
$(STAMPS)/venv: pyproject.toml requirements.lock .ci/jupyterlab-settings $(STAMPS)/apt-start
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@bash .ci/jupyterlab-settings $(VENV)
	@touch $@

# The npm packages whose browser files the site serves itself (package-lock.json pins them).
$(STAMPS)/npm: package.json package-lock.json $(STAMPS)/apt-start
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/venv $(STAMPS)/npm

install-test: install $(STAMPS)/apt-test

$(STAMPS)/apt-bench: $(STAMPS)/apt-start
	@bash .ci/apt-install $(APT_BENCH)
	@touch $@

# Both editions of the site (English and French) into _build/html/en and _build/html/fr.
$(STAMPS)/book: $(STAMPS)/venv $(STAMPS)/npm $(BOOK_SOURCES) book/_toc.yml
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/build_site.py --strict
	@touch $@

book: $(STAMPS)/book

start: install book
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/start_course.py --site-port $(SITE_PORT) --lab-port $(LAB_PORT)

test: install-test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest tests

bench: install $(STAMPS)/apt-bench
	@for bench in bench/bench_*.py; do PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python "$$bench" || exit 1; done

# The branch that learners' "Launch on JupyterHub" links pull: main without solutions and tests.
learner-branch:
	$(PYTHON) scripts/learner_branch.py

.PHONY: hub hub-environment
# The Python of the hub's shared environment (deploy/setup/environment.py): it has the hub's package
# (course_hub), so the hub's supervisor runs with it.
HUB_PYTHON = $(or $(COURSE_HUB_ENV),/opt/local-governance-course)/venv/bin/python
# JupyterHub for a cohort on this machine (as root): sets up the shared environment, the demo's
# Unix accounts and the courses, starts the hub on 127.0.0.1 and prints where to log in. Ctrl-C stops it.
hub: $(STAMPS)/npm hub-environment
	$(HUB_PYTHON) -m deploy.hub --port $(HUB_PORT) --login $(HUB_LOGIN)

# The environment every hub user's server runs in, outside the repository and /root (both private):
# /opt/local-governance-course/venv, from Debian's Python, with requirements.lock (skipped when up to date).
hub-environment: $(STAMPS)/apt-start
	@$(PYTHON) -m deploy.setup.environment

test: hub-environment
bench: hub-environment

.PHONY: grade
# Autograde the submissions collected in exercises/submitted/*/$(ASSIGNMENT)/, with feedback (autograder/).
grade: install
	@test -n "$(ASSIGNMENT)" || { echo "Say which assignment to grade, for example: make grade ASSIGNMENT=budgeting_01"; exit 2; }
	cd exercises && PATH="$(CURDIR)/$(BIN):$$PATH" "$(CURDIR)/$(BIN)/autograder" grade $(ASSIGNMENT) $(if $(JOBS),--jobs $(JOBS))

clean:
	rm -rf _build _vendor $(STAMPS)/book
