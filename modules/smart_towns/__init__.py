"""Course module: Smart towns. Its datasets ship in ``data/`` (see each dataset's README.md)."""
