"""Web pages for court papers: drafting, issuing, signing, batch sealing, hand-signing, verification, CRLs."""
