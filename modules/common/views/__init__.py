"""What only views use: the lessons' figures (``modules/<slug>/figures``) and the simulations
(``modules/<slug>/widgets``). A model never imports this package.

* :mod:`.plotting`: the course's figure style, alt text and accessible display (``show``);
* :mod:`.tables`: tables of text that Jupyter and the site show in full (``FullTable``);
* :mod:`.widgets`: sliders, a figure redrawn in place (``FigureView``) and plain-words verdicts.
"""
