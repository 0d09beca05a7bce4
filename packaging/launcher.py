"""Entry script frozen by PyInstaller (see packaging/ascent-lab.spec).

PyInstaller runs its entry script as ``__main__`` outside any package, so freezing
``gui/__main__.py`` directly would break its package-relative imports. This launcher imports
the real entry point instead; ``python -m gui`` and the ``ascent-lab`` console script use the
same ``gui.__main__.main``.
"""

import sys

from gui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
