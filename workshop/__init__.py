"""The kit's services, between the widgets and the engine: module content, crisis resources,
references, the class experiment's room store, handouts, the shared figures and the palette.

No ipywidgets, IPython or Voila here (tests/test_layers.py checks it); the science lives in
:mod:`bondlab`.
"""
