import sys

from cruscotto.cli import main

sys.exit(main())
