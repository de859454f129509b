"""Shared test configuration: hypothesis profiles."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# ci: more examples than dev, no deadline (a shared 2-core runner has noisy timings),
# derandomized so a red run reproduces; dev: quick feedback; mutation: small, for
# mutation runs. The ci budget is what keeps the whole test command inside its time
# budget on a 2-core machine (docs/reliability.md); raise it with the suite's speed.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("mutation", max_examples=20, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
