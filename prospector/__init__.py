"""prospector: broken-link building, automated up to the point where a person sends the email.

    from prospector import Campaign, Sender
    campaign = Campaign("outputs/prospector.sqlite")
    campaign.run("prospects.csv", sitemap="https://example.com/", sender=Sender("Sam Lee", "sam@example.com"))
    campaign.opportunities()  # a pandas DataFrame
"""

from prospector.campaign import (
    Campaign, CheckSummary, CrawlSummary, ExportSummary, Interrupted, MatchSummary, ProspectorError, RunSummary,
    StageFailed, StoreStatus, UsageError,
)
from prospector.outreach.render import Sender
from prospector.outreach.stage import DraftSummary
from prospector.stages import STAGES, Stage
from prospector.verdict import ReasonCode, Verdict

__version__ = "0.1.0"
__all__ = ["STAGES", "Campaign", "CheckSummary", "CrawlSummary", "DraftSummary", "ExportSummary", "Interrupted",
           "MatchSummary", "ProspectorError", "ReasonCode", "RunSummary", "Sender", "Stage", "StageFailed",
           "StoreStatus", "UsageError", "Verdict"]
