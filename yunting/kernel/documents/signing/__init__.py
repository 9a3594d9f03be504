"""The court's PKI and PAdES signing: `pki` (certificates, CRLs), `sign` (pyHanko), `validate`, `stamps`."""
