"""What the DXF library logs while it reads a file, turned into import remarks.

ezdxf reports what it finds odd through Python's logging (``Found non-unique entity handle #54,
data validation is required.``, 16 times in a Valentina export), which reached the terminal
before kitcut's own output and outside its report. :class:`LibraryLog` collects it while a file
is read and puts each message into the import report once, with its count.
"""

from __future__ import annotations

import logging

from kitcut.model import ImportReport

__all__ = ["LibraryLog"]


class LibraryLog:
    """What ezdxf logs while it reads a file (``Found non-unique entity handle #54, data
    validation is required.``, 16 times in a Valentina export), kept from the terminal and put
    into the import report once each, with its count."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.logger = logging.getLogger("ezdxf")
        self.seen: dict[str, int] = {}
        handler = logging.Handler(logging.WARNING)
        handler.emit = self._take
        self.handler = handler

    def _take(self, record) -> None:
        text = record.getMessage().strip()
        self.seen[text] = self.seen.get(text, 0) + 1

    def __enter__(self):
        self.propagate = self.logger.propagate
        self.logger.addHandler(self.handler)
        self.logger.propagate = False
        return self

    def __exit__(self, *exc) -> bool:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate
        shown = list(self.seen.items())[:5]
        for text, n in shown:
            times = f" ({n} times)" if n > 1 else ""
            self.report.warn(f"the DXF library (ezdxf) says: {text}{times}")
        if len(self.seen) > len(shown):
            self.report.warn(f"the DXF library (ezdxf) says {len(self.seen) - len(shown)} more thing(s)")
        return False
