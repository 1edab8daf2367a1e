"""The WSGI application that gunicorn serves (`gunicorn painrehab.wsgi`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painrehab.settings")
application = get_wsgi_application()

# Load every view module now, then move what is loaded (Django, the apps, their
# modules and URL patterns) out of the garbage collector's sight. A full
# collection scans every tracked object; with these included it paused one
# request in twenty by 100-150 ms on the waiting list (docs/benchmarks.md).
get_resolver().url_patterns  # noqa: B018 - imports the views
gc.freeze()
