"""Entry script frozen by PyInstaller (see packaging/ascent-lab.spec).

PyInstaller runs its entry script as ``__main__`` outside any package, so freezing
``gui/__main__.py`` directly would break its package-relative imports. This launcher imports
the real entry point instead; ``python -m gui`` and the ``ascent-lab`` console script use the
same ``gui.__main__.main``.
"""

import multiprocessing
import sys

from gui.__main__ import main

if __name__ == "__main__":
    # The app trains in a child process (gui.engine.train_process, "spawn"): a frozen executable
    # started as that child must run the child's code, not the app.
    multiprocessing.freeze_support()
    sys.exit(main())
