"""hotline.console: the operator console, served by each node's operator API.

>>> app.include_router(console_routes(node, current_operator))
"""

from hotline.console.pages import STATIC_DIR, console_routes

__all__ = ["STATIC_DIR", "console_routes"]
