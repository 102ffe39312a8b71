"""``python -m mmbench …``: the same command line as the ``mmbench`` script (for ``torchrun``,
Ray workers and environments where the script is not on the PATH)."""

from mmbench.cli import main

if __name__ == "__main__":
    main()
