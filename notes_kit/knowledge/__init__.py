"""What notes-kit knows: the venue, affiliation and term registries, the spelling dictionary."""
