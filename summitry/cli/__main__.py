"""`python -m summitry.cli ...` runs the command line."""
from .app import main

main()
