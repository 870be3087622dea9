"""Named points where a test can freeze a worker, to kill it exactly there.

The integration tests prove the reaper against real SIGKILLs at the worst moments — a
template or backup half copied, a new database just moved into place — which a kill
timed from outside would hit only by luck. A process started with
``HMS_TEST_FREEZE_AT=<name>`` stops for good when it reaches that point, after writing
``<data dir>/frozen-at.<name>`` so the test knows when to kill it. Without the variable
(always, outside these tests) a failpoint is one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings

FREEZE_AT = "HMS_TEST_FREEZE_AT"


def failpoint(name: str) -> None:
    if os.environ.get(FREEZE_AT) != name:
        return
    marker = Path(settings.DATA_DIR) / f"frozen-at.{name}"
    marker.write_text(str(os.getpid()))
    while True:  # until the test kills this process
        time.sleep(1)
