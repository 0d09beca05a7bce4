"""The training engine: model, trainer, settings, run control, the worker thread and the
training process, and the frames it publishes. It knows nothing of what the data mean;
a workbench gives it a dataset and a probe (see docs/architecture.md).
"""

from gui.engine.engine import TrainingEngine
from gui.engine.frames import Dataset, Frame
from gui.engine.probe import NoProbe, Probe, ProbeContext, ProbeResult

__all__ = ["Dataset", "Frame", "NoProbe", "Probe", "ProbeContext", "ProbeResult", "TrainingEngine"]
