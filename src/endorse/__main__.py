"""`python -m endorse` is the `endorse` command."""

from endorse.cli import main

raise SystemExit(main())
