"""Pure domain: talk notes, facts and questions. No I/O beyond reading a notes file."""
