"""The base that every page and the API build on.

ids, i18n and formatting, the guard and principal, audit, the engine and cache, configuration
and responses. Nothing here imports a page (layouts, callbacks), a service or the application
part of ioc_app (an import-linter contract checks it).
"""
