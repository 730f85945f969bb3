"""Reference answers, computed with the kit, for the hidden graders only."""
