"""nbgrader configuration of the course (this folder is the nbgrader course root).

Instructor versions of the exercises live in ``source/<slug>_<nn>/``; nbgrader writes
``release/``, ``submitted/``, ``autograded/``, ``feedback/`` and ``gradebook.db`` next to them
(git-ignored). See the instructor guide of the course site for the workflow.
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "local-governance"
c.CourseDirectory.root = "."

# Time limit per cell when grading (seconds); a cell that runs longer fails with a clear message.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60

# Feedback must never show hidden tests: each test shows only its verdict, points and the course's
# message, nothing learner code printed once hidden tests were in the kernel (autograder's step runs
# after the grades are read and before nbgrader removes the hidden tests, as it needs the markers).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "autograder.preprocessors.ClearHiddenOutputs",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# One grading of an assignment at a time: nbgrader's autograde (the formgrader) shares the lock that
# `autograder grade` holds for a whole run (autograder/pipeline/lock.py); the other steps are nbgrader's own.
c.Autograde.sanitize_preprocessors = [
    "autograder.preprocessors.HoldGradingLock",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.preprocessors.ReleaseGradingLock",
]

# Limits of `autograder grade`, which runs every submission in its sandbox (see the instructor
# guide, "The grading sandbox"): the whole notebook, in seconds; output kept, in characters;
# memory (MB), processes and disk (MB) of each notebook's kernel.
c.GradingExecute.notebook_timeout = 600
c.GradingExecute.output_limit = 5_000_000
c.Sandbox.memory_limit = 2048
c.Sandbox.process_limit = 256
c.Sandbox.disk_limit = 256

# Released notebooks start clean: no outputs, and every solution replaced by the stub below.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
