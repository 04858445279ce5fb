"""``autograder grade``, step by step: every submission of an assignment graded once, resumably.

* :mod:`.grade`: the command: lock, plan, sandbox check, then the scheduler;
* :mod:`.plan`: which submissions need grading (new, or submitted again since);
* :mod:`.scheduler`: hands submissions to the workers, records results, survives dead workers;
* :mod:`.workers`: the worker processes, each with its own kernel zygote;
* :mod:`.intake`: a submission's files and notebooks, read safely (no links, capped sizes);
* :mod:`.execute`: nbgrader's autograde steps up to the gradebook, run in a worker;
* :mod:`.record`: the scores written to the gradebook, in the main process only;
* :mod:`.feedback`: the learner's feedback page, which never carries a hidden test;
* :mod:`.outcomes`: what happened to each submission, the record that marks it done;
* :mod:`.ownership`: what root wrote goes back to the course's owner;
* :mod:`.lock`: one grading of an assignment at a time;
* :mod:`.files`, :mod:`.speedups`: nbgrader's file listing and metadata checks, done once.
"""
