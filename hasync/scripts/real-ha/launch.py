"""Runs `hass` (homeassistant.__main__.main) so that it dies with the Node process that started it.

PR_SET_PDEATHSIG asks the kernel to send SIGTERM when the parent exits, even by SIGKILL, so a
killed test run never leaves Home Assistant behind. Arguments are hass's own.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1

ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
if os.getppid() != int(os.environ.get("HASYNC_REAL_HA_PARENT", os.getppid())):
    sys.exit("the harness exited before Home Assistant started")

from homeassistant.__main__ import main  # noqa: E402

sys.argv[0] = "hass"
sys.exit(main())
