"""Monitor Sociaal Domein: core package (catalogue, store, periods, progress, CLI, demo data, UI components)."""

import os

# Nothing leaves the machine: Great Expectations would otherwise send usage analytics once imported.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
