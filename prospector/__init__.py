"""prospector: broken-link building, automated up to the point where a person sends the email."""

__version__ = "0.1.0"
