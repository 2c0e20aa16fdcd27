"""`python -m meshinject`: the same command line as the `meshinject` script."""

from meshinject.cli import main

main()
