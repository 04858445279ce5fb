"""The self-paced loop: a learner submits, is graded within seconds, assesses their written answer,
follows their progress and gets a certificate, without waiting for an instructor.

* ``settings``: :class:`SelfPaced`, the course's options (tokens, pass rule, peers, issuer, key).
* ``rules``: the pass rule of an exercise, stated once.
* ``throttle``: the token bucket that paces quick gradings.
* ``outline``: the course's modules, lessons, outcomes and workload, read from its own pages.
* ``rubric``: the written answer and its rubric, as the notebook states them.
* ``per_test``: feedback per test (name, part, points, the course's message; never a test's source).
* ``assessment``: self, peer and instructor assessment of written answers.
* ``store``: the loop's SQLite records (queue, buckets, assessments, lessons opened, certificates).
* ``grader``: admits and grades what arrives in the exchange, and releases feedback.
* ``progress``: where each learner stands, from the gradebook and the store.
* ``certify``: issues the certificates learners ask for.
* ``check``: "Check my answers": nbgrader's Validate button with the course's messages, part by part.
* ``service``: the two JupyterHub services (grading; a course's web pages).
"""
