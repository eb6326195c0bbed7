"""The columns of each exported sheet, in their order: what export writes, what the report
and the readers of edited sheets expect."""

DEAD_LINK_COLUMNS = ["dead_url", "link_kind", "verdict", "reason", "reason_code", "status", "referring_pages",
                     "referring_domains", "archived_url", "archived_at", "archived_title"]
OPPORTUNITY_COLUMNS = ["prospect", "page_url", "page_title", "author", "anchor_text", "context", "rel", "placement",
                       "dead_url", "verdict", "reason", "reason_code", "status", "suggested_url", "suggested_title",
                       "score", "confidence", "match_reason", "other_suggestions", "use", "contact_email",
                       "contact_url", "priority", "authority", "authority_source", "resource_score", "archived_url",
                       "archived_at", "archived_title", "prospect_notes"]
# `status` is left empty for the user to fill in (sent, skip, replied, won, lost): `prospector record`.
EMAIL_COLUMNS = ["status", "kind", "to_email", "to_name", "contact_url", "subject", "body", "followup_body", "prospect",
                 "page_urls", "dead_urls", "suggested_urls", "last_contacted"]
# Sites your prospects link to whose page looks like a resource page: prospects to consider.
SUGGESTED_PROSPECT_COLUMNS = ["site", "page_url", "resource_score", "why", "linked_from", "linked_by"]
PROSPECT_COLUMNS = ["prospect", "name", "notes", "pages_crawled", "outbound_links", "dead", "likely_dead",
                    "authority", "authority_source", "resource_score", "contact_found", "contact_email", "contact_url",
                    "errors", "other_contacts"]
