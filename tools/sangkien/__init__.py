"""sangkien: run administrative-reform initiative campaigns as a Git repository."""

__version__ = "0.1.0"
