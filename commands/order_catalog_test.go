package commands

import (
	"strings"
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

// TestOrderKeyFamiliesExist checks the catalog keys the order commands build from codes: every
// action, refusal, field, payment method, choice and event type has its text.
func TestOrderKeyFamiliesExist(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	a := &App{Policy: assurance.Default(), Cat: cat}
	var keys []string
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			keys = append(keys, prefix+c)
		}
	}
	for _, act := range assurance.Actions {
		add("did.", string(act))
		add("what.", string(act))
		if !act.Automatic() {
			add("how.", string(act))
		}
	}
	for _, code := range []assurance.RefusalCode{assurance.CodeUnknownState, assurance.CodeUnknownAction, assurance.CodeWrongState,
		assurance.CodeWrongRole, assurance.CodeDateRequired, assurance.CodeReasonRequired, assurance.CodeInvalidTarget,
		assurance.CodePriorRequired, assurance.CodeLeadsElsewhere} {
		add("refuse.", string(code))
	}
	for _, code := range []assurance.RefusalCode{assurance.CodeUnknownState, assurance.CodeUnknownField, assurance.CodeFieldNotChangeable,
		assurance.CodeTotalFrozen, assurance.CodeWaitForPayment, assurance.CodeAfterShipment, assurance.CodeDisputeOpen,
		assurance.CodeOrderClosed, assurance.CodeShipDateCap, assurance.CodeWrongRole, assurance.CodeWrongState,
		assurance.CodeDateRequired, assurance.CodeAlreadyExtended} {
		add("refuse.change.", string(code))
	}
	for _, f := range assurance.ChangeFields {
		add("field.", string(f))
	}
	add("field.", termCodes()...)
	add("pay.", a.methodCodes()...)
	add("warn.pay.", assurance.PayUnknownMethod, assurance.PayInvalidAmount, assurance.PayUnknownCurrency, assurance.PayDisabled,
		assurance.PayCountryNotAllowed, assurance.PayCurrencyNotAccepted, assurance.PayOverLimit)
	add("pay.warn.", paymentWarnings...)
	add("status.", statusValues(valuePaymentFailed)...)
	add("inspection.", inspectionResults...)
	add("tier.", buyerTiers...)
	add("coverage.", coveragePostDelivery, coveragePreShipment)
	add("risk.", assurance.RiskBuyer, assurance.RiskSupplier)
	add("mode.", string(assurance.ChangeNeedsAgent), string(assurance.ChangeNeedsBoth))
	add("spec.", assurance.SpecDesignFiles, assurance.SpecQuality, assurance.SpecQuantity, assurance.SpecPackaging, assurance.SpecCustomisation)
	add("warn.spec.", assurance.SpecDesignFiles, assurance.SpecQuality, assurance.SpecQuantity, assurance.SpecPackaging, assurance.SpecCustomisation)
	add("spec.hint.", assurance.SpecDesignFiles, assurance.SpecQuality, assurance.SpecPackaging, assurance.SpecCustomisation)
	add("event.", evCreated, evNote, evTracking, evInspection, evChangeRequested, evChangeApplied, evChangeAccepted,
		evChangeRejected, evChangeWithdrawn, evChangeExpired, evExtended)
	add("change.outcome.", evChangeAccepted, evChangeRejected, evChangeWithdrawn, evChangeExpired)
	add("ack.", ackPay, ackReceipt)
	add("ack.go.", ackPay, ackReceipt)
	for _, l := range languages {
		add("language.", strings.ToLower(l))
	}
	for _, c := range incoterms {
		add("incoterm.", strings.ToLower(c))
	}
	for _, k := range keys {
		if !cat.Has(k) {
			t.Errorf("catalog key %q is missing", k)
		}
	}
}
