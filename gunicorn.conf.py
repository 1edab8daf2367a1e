"""gunicorn's settings, read from the project's root (gunicorn's default).

The access log has a documented format and, like the error log, never holds a
patient-link token or a personnummer: `ScrubbingLogger` puts the project's
scrub filter on both logs' handlers.
"""

from gunicorn.glogging import Logger

from painrehab.core.logging import scrub_handlers

# Address, time, request line, status, bytes, microseconds (README, "Logs").
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)s'


class ScrubbingLogger(Logger):
    def setup(self, cfg) -> None:  # noqa: ANN001
        super().setup(cfg)
        scrub_handlers([self.error_log, self.access_log])


logger_class = ScrubbingLogger
