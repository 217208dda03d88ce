"""The ASGI app, its settings, routes, sockets, CLI and the launcher of embedded services."""
