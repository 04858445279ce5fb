"""Course module: Open data. Its datasets ship in ``data/`` (see each dataset's README.md)."""
