"""Every server of the hub keeps its JupyterLab settings in its own user's home.

JupyterLab fixes the default of its user settings folder (``LabApp.user_settings_dir``) when it is
imported, from the importing process's home. The hub's servers start from a process that imported
JupyterLab as root (``course_hub.server_zygote``), so without this file every learner's JupyterLab
would try to save its settings, the language a learner chooses among them, in ``/root`` and fail.
Read by each server at start, as its user: ``~/.jupyter/lab/user-settings``, or
``$JUPYTERLAB_SETTINGS_DIR``.
"""

from jupyterlab.commands import get_user_settings_dir

c = get_config()  # noqa: F821 (Jupyter's configuration loader provides it)
c.LabApp.user_settings_dir = get_user_settings_dir()
