"""Stage 3: the user's own site as an inventory of pages, and the dead link -> own page matcher."""
