#!/usr/bin/env python
from keyprojects.cli import main

if __name__ == "__main__":
    main()
