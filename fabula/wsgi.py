"""The WSGI entry point for production servers (gunicorn, granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fabula.settings")
application = get_wsgi_application()

from fabula.conf.checks import refuse_insecure_key  # noqa: E402
from fabula.conf.webserver import settle_worker  # noqa: E402

refuse_insecure_key()
settle_worker()
