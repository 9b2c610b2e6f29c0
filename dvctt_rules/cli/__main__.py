"""``python -m dvctt_rules.cli``."""

import sys

from . import main

sys.exit(main())
