# The hub's image on Zero to JupyterHub: the chart's own hub image (chart 4.4.0) with the course's
# hub package, course_hub (deploy/course_hub/), which values.yaml's hub.extraConfig imports: the
# course's group and role logic, the same code as the hub on one machine. What the hub imports of
# it needs only the standard library, so it is copied into the image's Python as it is (the chart's
# image runs a newer Python than the course environment, and needs none of the course's packages).
#
# Build from the repository root:
#   docker build -f deploy/kubernetes/hub.Dockerfile -t registry.example.org/training/local-governance-hub:2026-11-22 .
FROM quay.io/jupyterhub/k8s-hub:4.4.0

USER root
COPY deploy/course_hub /tmp/course_hub
RUN site_packages="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
 && rm -rf /tmp/course_hub/__pycache__ \
 && cp -r /tmp/course_hub "$site_packages/course_hub" \
 && python3 -m compileall -q "$site_packages/course_hub" \
 && python3 -c "import course_hub.groups" \
 && rm -rf /tmp/course_hub
USER jovyan
