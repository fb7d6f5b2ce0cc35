"""The PySide6 desktop application (Qt lives only here)."""
