"""Filing: what a party files and what it costs. For now only the fee calculator (`fees`); not a Django app yet."""
