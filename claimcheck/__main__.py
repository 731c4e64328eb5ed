"""`python -m claimcheck` runs the command-line tool."""
from claimcheck.cli import run

if __name__ == "__main__":
    run()
