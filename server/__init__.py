"""The kit's Voila server: fixes, the preheat policy and the safety shell's resources.

Only the Voila settings (etc/jupyter/voila.py) import this package; no component does.
"""
