"""What every course module shares. Models may use this package; they never use :mod:`.views`.

* :mod:`.data`: the datasets that ship with the course, found wherever it is installed;
* :mod:`.formatting`: numbers written for learners (amounts in euros);
* :mod:`.views`: what only figures and widgets use (plotting style, tables shown in full, widget helpers).

The rule is checked by import-linter (``.importlinter``, contract ``models-are-pure``).
"""
