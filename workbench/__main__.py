"""`python -m workbench` entry point."""

import sys

from workbench.entry import main

if __name__ == "__main__":
    sys.exit(main())
