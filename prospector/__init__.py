"""prospector: broken-link building, automated up to the point where a person sends the email.

    from prospector import Campaign, Sender
    campaign = Campaign("outputs/prospector.sqlite")
    campaign.run("prospects.csv", sitemap="https://example.com/", sender=Sender("Sam Lee", "sam@example.com"))
    campaign.opportunities()  # a pandas DataFrame
"""

from prospector.campaign import Campaign
from prospector.errors import Interrupted, ProspectorError, RowsRejected, StageFailed, UsageError
from prospector.outreach.drafting import DraftSummary
from prospector.outreach.history import OutreachStatus as Status
from prospector.outreach.record import RecordSummary
from prospector.outreach.render import Sender
from prospector.stages import STAGES, Stage
from prospector.store_status import StoreStatus
from prospector.summaries import (
    ArchiveSummary,
    CheckSummary,
    CrawlSummary,
    ExportSummary,
    MatchSummary,
    RunSummary,
    VerifySummary,
)
from prospector.verdict import ReasonCode, Verdict
from prospector.version import __version__

__all__ = ["STAGES", "ArchiveSummary", "Campaign", "CheckSummary", "CrawlSummary", "DraftSummary", "ExportSummary",
           "Interrupted", "MatchSummary", "ProspectorError", "ReasonCode", "RecordSummary", "RowsRejected",
           "RunSummary", "Sender", "Stage", "StageFailed", "Status", "StoreStatus", "UsageError", "Verdict",
           "VerifySummary", "__version__"]
