"""`python -m gateway`: the same as the `gateway` command."""

from gateway.cli import main

if __name__ == "__main__":  # not when an evaluation worker (spawned) imports this module as __mp_main__
    main()
