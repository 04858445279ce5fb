"""Hosting the course on JupyterHub, run from the repository's root: ``python -m deploy.hub`` (what
``make hub`` runs) and ``deploy.setup`` (root provisioning). ``deploy/course_hub/`` is the installed
package ``course_hub``: import it by that name only, never as ``deploy.course_hub``."""
