"""The match stage: sitemaps parsed, your pages as passages, and the dead link -> own page ranking."""
