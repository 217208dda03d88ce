"""Compatibility path for helpers written before settings moved to store/ (removed at integration)."""

from store.settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "load_settings"]
