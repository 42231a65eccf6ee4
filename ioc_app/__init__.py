"""The HCMC education operations centre.

``ioc_app.core`` is the base every page builds on, ``ioc_app.services`` the Dash-free services
pages and the API share; the rest is the application: the factory (``ioc_app.app``), the page
table, router, shell, sign-in, REST blueprints and the command line.
"""
