"""``python -m chronology``: see :mod:`chronology.cli`."""

import sys

from .cli import main

sys.exit(main())
