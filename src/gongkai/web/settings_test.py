"""Settings for the test suite: the site's settings with a throw-away data directory.

The data directory must be chosen before the settings module reads it (it writes a
secret key there), hence a module of its own rather than a fixture.
"""

import os
import tempfile

os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-test-"))

from gongkai.web.settings import *  # noqa: F403
