"""What the autograder tells instructors after grading: nothing here changes a grade.

* :mod:`.export`: ``autograder export``, the scores of an assignment as a CSV file;
* :mod:`.report`: ``autograder report``, an HTML page of plots (:mod:`.report_figures`) from a
  Jinja2 template (``templates/``);
* :mod:`.progress`: the progress bar and the summary table that ``autograder grade`` prints.
"""
