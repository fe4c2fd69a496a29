"""``python -m collegium``: the ``collegium`` command line."""

from collegium.cli import main

if __name__ == "__main__":
    main()
