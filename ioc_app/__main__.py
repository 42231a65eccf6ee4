"""Entry point for ``python -m ioc_app``."""

import sys

from ioc_app.cli import main

sys.exit(main())
