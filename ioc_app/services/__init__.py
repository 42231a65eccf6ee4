"""Dash-free services that the pages and the REST API share.

Cached warehouse views, the map registry and its search, map layers. They import the base
(ioc_app.core) and analytics/geo/data_access; never Dash, a page or the application part.
"""
