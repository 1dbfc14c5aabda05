"""python -m bench [quick|full|profile]: see docs/performance.md and docs/adr/0021."""

import argparse
import sys

from bench import config


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("mode", choices=[*config.MODES, "profile"])
    parser.add_argument("--keep", action="store_true", help="keep the run databases afterwards")
    args = parser.parse_args()
    if args.mode == "profile":
        from bench import profile

        return profile.main()
    from bench import harness

    return harness.main(config.MODES[args.mode], keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
