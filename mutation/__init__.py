"""Mutation testing: ``run.py`` runs mutmut 3.x, ``gate.py`` scores its results."""
