"""Archive (诉讼档案): one-click single-set archiving, appeal transfer and remote reading of the e-file."""
