"""Speed kernels of the engine: each computes what a readable model step computes.

The model is always the readable step next to its equations (``_OPStepper.step`` in
:mod:`bondlab.affect`, ``_CDStepper.step`` in :mod:`bondlab.learners`,
``RespondingAgent.run(fast=False)`` in :mod:`bondlab.agent`).  Each kernel here says in
its docstring what it computes in that step's terms, and a test beside the model's tests
checks both give the same numbers.  To change a model, change its readable step, check
the change with the readable path, then make the same change here (or run the readable
path only: it is slower, not different).

* :mod:`.felt_days`: the opponent process over many days (Scenario);
* :mod:`.change_days`: change detection over many days (Scenario);
* :mod:`.agent_loop`: the responding agent's SARSA loop.
"""
