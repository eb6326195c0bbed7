"""The draft stage: who to write to (contacts), what is worth pitching (opportunities), the
emails themselves (render, from the templates shipped in templates/) and the stage that
ties them to the store (stage)."""
