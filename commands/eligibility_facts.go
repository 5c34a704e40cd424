package commands

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Payment statuses of state.Payment whose money does not count as paid.
const paymentFailed = "failed"

// Inspection result of state.Inspection that means no inspection took place.
const inspectionNotDone = "not_done"

// orderFacts maps a stored order to the eligibility facts it holds (POLICY.md section 3), for the
// given issue code and day. Facts the order does not hold stay absent, so Evaluate asks for them:
// supplier_ta and ta_limit_remaining come from the supplier record (see supplierFacts), and
// spec_in_order, evidence beyond what the order proves, claimed and affected_qty from the member.
//
//   - status, coverage, buyer_tier, ship_date, shipped_on, received_on and currency are copied;
//   - paid_total is the sum of the payments that did not fail; paid_before_shipment the part of it
//     dated on or before shipped_on (all of it while the goods have not shipped). A payment on the
//     day of shipment counts as before it: the lifecycle ships only paid orders;
//   - paid_on_platform is true when every payment that did not fail was made with a method of the
//     policy (Alibaba.com checkout or the designated account); a payment recorded with any other
//     method leaves it to be asked;
//   - inspection_result is the inspection's result, "not_done" reading as none;
//   - transit_risk follows the Incoterm (Policy.TransitRisk); total_qty is the ordered quantity;
//   - spec_in_order is true for short_quantity when the order states its quantity (the disputed
//     requirement, the quantity, is then written in the order);
//   - evidence holds "tracking" when the order has a tracking number and "inspection_report" when
//     an inspection produced a result.
func (a *App) orderFacts(o *state.Order, issue string, today assurance.Date) assurance.Facts {
	f := assurance.Facts{
		Issue: issue, Status: o.Status, Coverage: o.Coverage, BuyerTier: o.BuyerTier,
		ShipDate: o.ShipDate, ShippedOn: o.ShippedOn, ReceivedOn: o.ReceivedOn, Today: today,
		Currency: o.Currency,
	}
	var paid, before decimal.Decimal
	counted, onPlatform := 0, true
	for _, p := range o.Payments {
		if p.Status == paymentFailed {
			continue
		}
		counted++
		paid = paid.Add(p.Amount)
		if day := paymentDay(p); o.ShippedOn.IsZero() || day.IsZero() || !day.After(o.ShippedOn) {
			before = before.Add(p.Amount)
		}
		method := p.Method
		if method == "" {
			method = o.Method
		}
		if _, ok := a.Policy.PaymentMethod(method); !ok {
			onPlatform = false
		}
	}
	if counted > 0 {
		f.PaidTotal, f.PaidBeforeShipment = &paid, &before
		if onPlatform {
			f.PaidOnPlatform = assurance.Ptr(true)
		}
	}
	if o.Inspection != nil {
		switch r := o.Inspection.Result; r {
		case assurance.InspectionPass, assurance.InspectionFail, assurance.InspectionPending:
			f.InspectionResult = r
			f.Evidence = append(f.Evidence, "inspection_report")
		case inspectionNotDone:
			f.InspectionResult = assurance.InspectionNone
		}
	}
	if o.Tracking != "" {
		f.Evidence = append(f.Evidence, "tracking")
	}
	if risk, ok := a.Policy.TransitRisk(o.Incoterm); ok {
		f.TransitRisk = risk
	}
	if o.Quantity > 0 {
		f.TotalQty = assurance.Ptr(o.Quantity)
		if issue == "short_quantity" {
			f.SpecInOrder = assurance.Ptr(true)
		}
	}
	return f
}

// paymentDay is the day a payment was made: its stated date, else the day it was recorded.
func paymentDay(p state.Payment) assurance.Date {
	if !p.Date.IsZero() {
		return p.Date
	}
	if p.At.IsZero() {
		return assurance.Date{}
	}
	return assurance.DateOf(p.At)
}

// supplierFacts adds what the server knows about the order's supplier to f: a supplier recorded with
// a Trade Assurance limit (/supplier set) offers Trade Assurance (supplier_ta), and their remaining limit
// (ta_limit_remaining: the limit less this server's other open orders with them, when the limit is in the
// order's currency) caps the refund. It leaves both absent while the server holds no such record, so the
// member is asked. Facts already set (answered by the member) are kept.
func (a *App) supplierFacts(ctx context.Context, o *state.Order, f *assurance.Facts) error {
	if o.SupplierSlug == "" {
		return nil
	}
	b := a.Store.Batch()
	sup := b.SupplierLimit(o.Guild, o.SupplierSlug)
	if err := b.Exec(ctx); err != nil {
		return fmt.Errorf("supplier facts of order %d: %w", o.Number, err)
	}
	if sup.Supplier == nil || !sup.Supplier.Limit.IsPositive() {
		return nil
	}
	if f.SupplierTA == nil {
		f.SupplierTA = assurance.Ptr(true)
	}
	if f.TALimitRemaining == nil && sup.Supplier.Currency == o.Currency {
		rem := sup.Remaining(o)
		if rem.IsNegative() {
			rem = decimal.Zero
		}
		f.TALimitRemaining = &rem
	}
	return nil
}

// storedFacts is orderFacts plus supplierFacts: every fact the server holds about an order.
func (a *App) storedFacts(ctx context.Context, o *state.Order, issue string, today assurance.Date) (assurance.Facts, error) {
	f := a.orderFacts(o, issue, today)
	if err := a.supplierFacts(ctx, o, &f); err != nil {
		return assurance.Facts{}, err
	}
	return f, nil
}
