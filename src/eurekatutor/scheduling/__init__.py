"""Memory model and selection: FSRS through py-fsrs, recall probability, the study queue."""
