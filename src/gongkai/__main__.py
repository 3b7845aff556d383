"""`python -m gongkai …` is the `gongkai` command (where the script is not on PATH)."""

from gongkai.cli import main

main()
