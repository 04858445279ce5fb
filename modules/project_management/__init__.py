"""Course module: Managing public projects. Its datasets ship in ``data/`` (see each dataset's README.md)."""
