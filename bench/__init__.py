"""The benchmarks of ``make bench``: each ``bench_*.py`` runs as a script and prints one table,
with the ratio against its named baseline measured in the same run."""
