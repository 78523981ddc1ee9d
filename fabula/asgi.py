"""The ASGI entry point for production servers."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
application = get_asgi_application()

from fabula.conf.checks import refuse_insecure_key  # noqa: E402
from fabula.conf.webserver import settle_worker  # noqa: E402

refuse_insecure_key()
settle_worker()
