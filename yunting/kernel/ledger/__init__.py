"""The transparency ledger: one append-only RFC 9162 Merkle log per deployment, with signed tree heads.

Public surface (imported lazily, so the package can be imported before Django's apps are ready):
writes   ledger_append, ledger_append_many, NewLeaf, ledger_sth_issue, ledger_sth_current, ledger_sth_tick
reads    ledger_size, ledger_root, ledger_inclusion_proof, ledger_proof_by_hash, ledger_proof_by_document,
         ledger_consistency_proof, ledger_entries, ledger_leaf, ledger_leaf_for_record, ledger_sth_latest
checks   ledger_audit, verify_bundle, make_bundle, LedgerMonitor
keys     ensure_signing_key, public_key_pem
formats  leaf_input_for, commitment, parse_leaf_input; pure math in `merkle`, tree-head bytes in `sth`
"""

from importlib import import_module

_WHERE = {
    "ledger_append": "services", "ledger_append_many": "services", "ledger_sth_issue": "services",
    "ledger_sth_current": "services", "ledger_sth_tick": "services", "NewLeaf": "store",
    "ledger_size": "selectors", "ledger_root": "selectors", "ledger_inclusion_proof": "selectors",
    "ledger_proof_by_hash": "selectors", "ledger_proof_by_document": "selectors",
    "ledger_consistency_proof": "selectors", "ledger_entries": "selectors", "ledger_leaf": "selectors",
    "ledger_leaf_for_record": "selectors", "ledger_sth_latest": "selectors",
    "ledger_audit": "audit", "verify_bundle": "bundle", "make_bundle": "bundle", "LedgerMonitor": "monitor",
    "ensure_signing_key": "keys", "public_key_pem": "keys",
    "leaf_input_for": "leaves", "commitment": "leaves", "parse_leaf_input": "leaves",
    "LedgerError": "errors",
}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
