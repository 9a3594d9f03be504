"""Regenerate yunting/workflows/payouts/bins.json from the npm package `bankcard` (caijf/bankcard, MIT).

    npm pack bankcard && tar xzf bankcard-*.tgz
    node -e "const b=require('./package/dist/bankcard.cjs.js'); process.stdout.write(JSON.stringify({cards: b.cards, banks: b.banks}))" > cards.json
    python scripts/bank_bins.py cards.json "caijf/bankcard X.Y.Z"
"""

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "yunting" / "workflows" / "payouts" / "bins.json"


def main(source: str, release: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = sorted({(c["cardBin"], c["bankCode"], c["cardType"], c["len"]) for c in data["cards"]})
    out = {"source": f"{release} (npm `bankcard`, MIT licence, https://github.com/caijf/bankcard): its card BIN table",
           "columns": ["bin", "bank", "card_type", "length"],
           "banks": dict(sorted((b["code"], b["name"]) for b in data["banks"])), "bins": [list(r) for r in rows]}
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":")).replace("],[", "],\n[")
    TARGET.write_text(text + "\n", encoding="utf-8")
    print(f"{len(rows)} prefixes of {len(out['banks'])} banks → {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
