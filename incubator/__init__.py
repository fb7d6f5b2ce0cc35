"""Incubator Registry core: domain, persistence, services, reports. Never imports Qt."""

__version__ = "0.1.0"
