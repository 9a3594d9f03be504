"""The litigation fee calculator: public, no login (a party estimates the fee before filing).

GET /api/v1/fees/estimate?kind=property&amount=100000&half=true answers exactly what `yunting fee` prints.
"""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from yunting.workflows.filing.fees import FEE_KINDS, HALVABLE_KINDS, fee_estimate_for_court

from .schemas import ErrorOut

router = Router(auth=None, tags=["fees"])


class FeeStepOut(Schema):
    op: str = Field(description="flat | tier | sum | range | fixed | cap | third | half | round | note")
    text: str = Field(description="The step in words, e.g. 10,000 至 100,000 元部分 90,000.00 × 2.5% = 2,250.00")
    from_: str | None = Field(None, alias="from", description="Bracket lower bound (exclusive), yuan.")
    to: str | None = Field(None, description="Bracket upper bound (inclusive), yuan; null: no top.")
    base: str | None = Field(None, description="What the rate or rule is applied to, yuan.")
    rate: str | None = Field(None, description="Rate as a decimal fraction, e.g. 0.025.")
    amount: str | None = Field(None, description="This step's result, yuan.")


class FeeEstimateOut(Schema):
    kind: str
    kind_label: str
    amount: str | None = Field(description="The amount the fee was computed on, yuan; null when none was given.")
    half: bool
    currency: str
    fee: str = Field(description="The fee, yuan, two decimal places.")
    fee_min: str | None = Field(description="Lower end of the legal band (range kinds only).")
    fee_max: str | None = Field(description="Upper end of the legal band (range kinds only).")
    rounding: str = Field(description="Rounding step applied once at the end, half-up.")
    basis: str = Field(description="The articles applied.")
    steps: list[FeeStepOut]


@router.get("/estimate", response={200: FeeEstimateOut, 400: ErrorOut}, by_alias=True, url_name="fee_estimate",
            openapi_extra={"x-required": ["kind"]},  # checked by the calculator: an unknown or missing kind is fee_unknown_kind
            summary="Estimate a litigation fee (诉讼费用交纳办法)")
def estimate(
    request,
    kind: str = Query("", description=f"One of: {', '.join(FEE_KINDS)}.", enum=list(FEE_KINDS)),
    amount: str | None = Query(None, description="Yuan, e.g. 100000 or 100,000.50; needed for property, "
                               "payment-order and bankruptcy, optional for divorce, personality, ip, "
                               "enforcement and preservation."),
    half: bool = Query(False, description="Halve once (simple procedure, mediation, withdrawal, counterclaim). "
                       f"Only for: {', '.join(HALVABLE_KINDS)}."),
):
    return fee_estimate_for_court(kind, amount, half)
