"""``python -m kodexa_platform.testing``: the same as the ``kodexa-sandbox`` command."""

import sys

from kodexa_platform.testing._cli import main

sys.exit(main())
