"""The HTML report: one self-contained file beside the CSVs (`export`, and so `run` and `demo`)."""

from prospector.report.build import render_report, write_report

__all__ = ["render_report", "write_report"]
