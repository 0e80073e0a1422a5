"""`python -m pasis_tui` is `pasis`."""

import sys

from pasis_tui.cli import main

sys.exit(main())
