"""The figure and table views of the budgeting lessons, one file per lesson.

A view receives what the model computed and returns a formatted table or an accessible figure
(with its alt text); it holds no budget logic. The lessons call these helpers from cells tagged
``hide-input``, so a reader sees the result and can open the code on request.
"""
