#!/usr/bin/env bash
# Install the course environment that every learner's JupyterLab runs in, into a virtual environment.
# One recipe for both hosting routes: `make hub` (deploy/setup/environment.py, into
# /opt/local-governance-course/venv) and the Kubernetes image (deploy/kubernetes/Dockerfile).
#   - the exact versions of requirements.lock, and the course package itself (modules, autograder,
#     and course_hub from deploy/course_hub: what the hub imports);
#   - JupyterLab opens the MyST markdown lessons as notebooks (jupytext, .ci/jupyterlab-settings)
#     and renders their directives, roles and citations as the site does (jupyterlab-myst, a
#     dependency of the course package, so pinned by requirements.lock and enabled once installed);
#   - JupyterLab never asks learners about Jupyter news nor checks for updates (.ci/jupyterlab-settings);
#   - nbgrader as a hub needs it (deploy/jupyter/): the exchange and the learner's hub name as
#     nbgrader identity, the instructor tools off in every server but the courses' formgraders.
# Usage: deploy/setup/install-environment.sh PYTHON VENV   (PYTHON: a Python 3.11 every user may run)
set -euo pipefail
python="$1"
venv="$2"
course="$(cd "$(dirname "$0")/../.." && pwd)"

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-cache-dir)
"${pip[@]}" --upgrade "pip>=24"

# Install a copy of the course package: building from the repository would write into it.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/course"
cp "$course/pyproject.toml" "$course/README.md" "$course/LICENSE" "$scratch/course/"
cp -r "$course/modules" "$course/autograder" "$scratch/course/"
mkdir "$scratch/course/deploy"
cp -r "$course/deploy/course_hub" "$scratch/course/deploy/"
find "$scratch/course" -name __pycache__ -prune -exec rm -rf {} +
"${pip[@]}" -c "$course/requirements.lock" "$scratch/course"
# rfc3987-syntax (an optional extra of jsonschema, through jupyter-events) builds a parser at import:
# about 2 s of processor time in every JupyterLab start, more than the rest of the start. Without it,
# jsonschema only skips the "iri" format check, which no Jupyter event schema uses. Measured with
# bench/bench_hub.py: it halves the time twenty learners wait when they start at once.
"$venv/bin/python" -m pip uninstall --yes --quiet rfc3987-syntax

bash "$course/.ci/jupyterlab-settings" "$venv"
etc="$venv/etc/jupyter"
mkdir -p "$etc/jupyter_server_config.d" "$etc/labconfig"
install -m 644 "$course/deploy/jupyter/learners/nbgrader_config.py" "$etc/nbgrader_config.py"
install -m 644 "$course/deploy/jupyter/learners/jupyter_server_config.d/zz-course-hub.json" "$etc/jupyter_server_config.d/"
# Each server's JupyterLab settings (the language a learner chooses) in its own user's home.
install -m 644 "$course/deploy/jupyter/learners/jupyter_server_config.py" "$etc/jupyter_server_config.py"
install -m 644 "$course/deploy/jupyter/learners/labconfig/page_config.json" "$etc/labconfig/"
# The Course menu of learners' JupyterLab (My progress and feedback), on the hub only.
mkdir -p "$venv/share/jupyter/lab/settings/overrides.d"
install -m 644 "$course/deploy/jupyter/learners/lab-settings/course-hub.json" "$venv/share/jupyter/lab/settings/overrides.d/"
rm -rf "$venv/etc/course-instructors"
cp -r "$course/deploy/jupyter/instructors" "$venv/etc/course-instructors"
chmod -R a+rX,go-w "$venv"
