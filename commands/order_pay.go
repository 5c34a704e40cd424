package commands

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) orderPaySpec() Spec {
	return Spec{
		Command: "order", Sub: "pay", Handle: a.orderPay, Write: true, Autocomplete: a.orderSuggest,
		Options: []*discordgo.ApplicationCommandOption{
			orderOption(true),
			strOpt("amount", true, 20),
			choiceOpt("method", true, choices("pay.", a.methodCodes()...)),
			dateOpt("date"),
		},
	}
}

// payRequest is a payment to record. Amount stays text until the order's currency is known.
type payRequest struct {
	Amount string         `json:"amount"`
	Method string         `json:"method"`
	Date   assurance.Date `json:"date,omitzero"`
}

// orderPay records a deposit or balance payment and moves the order to payment_processing.
func (a *App) orderPay(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := orderNumber(r, "order")
	if err != nil {
		return nil, err
	}
	req := payRequest{Amount: r.String("amount")}
	if req.Amount == "" {
		return nil, Fail("error.field.required", "field", "amount")
	}
	if req.Method, err = r.Choice("method", a.methodCodes()...); err != nil {
		return nil, err
	}
	if req.Method == "" {
		return nil, Fail("error.field.required", "field", "method")
	}
	if req.Date, err = r.Date("date"); err != nil {
		return nil, err
	}
	if req.Date.After(assurance.DateOf(r.Now)) {
		return nil, Fail("error.date.future", "field", "date", "value", req.Date.String())
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	return a.payOrder(ctx, r, oc, req, false)
}

// payOrder records the payment. A buyer paying the balance after a failed inspection is warned
// first unless ack is set.
func (a *App) payOrder(ctx context.Context, r *Request, oc *orderCtx, req payRequest, ack bool) (*discordgo.InteractionResponse, error) {
	p := r.Msg
	amount, err := assurance.ParseAmount(req.Amount, oc.o.Currency)
	if err != nil {
		return nil, amountError("amount", req.Amount, oc.o.Currency, err)
	}
	date := req.Date
	if date.IsZero() {
		date = assurance.DateOf(r.Now)
	}
	decide := func(o *state.Order) ([]state.Event, error) {
		to, err := assurance.Transition(o.Status, assurance.ActionRecordPayment, oc.role, moveInput(o))
		if err != nil {
			return nil, refusal(p, o, oc.role, err)
		}
		if out := o.Outstanding(); amount.GreaterThan(out) {
			return nil, Fail("error.pay.over", "field", "amount", "value", req.Amount, "outstanding", assurance.FormatMoney(out, o.Currency))
		}
		if len(o.Payments) == 0 && o.FirstShip.IsZero() {
			o.FirstShip = o.ShipDate // the ship date agreed when the first payment is recorded (POLICY.md 2.1)
		}
		o.Payments = append(o.Payments, state.Payment{Amount: amount, Method: req.Method, Date: date, Status: state.PaymentPending, By: r.User.ID, At: r.Now.UTC()})
		args := map[string]string{"amount": assurance.FormatMoney(amount, o.Currency), "method": req.Method, "date": date.String()}
		if ack && needsAck(o) {
			o.Inspection.Accepted, args["accepted_failed_inspection"] = r.Now.UTC(), "1"
		}
		return []state.Event{move(o, assurance.ActionRecordPayment, to, moveInput(o), actor(r), r.Now, "", args)}, nil
	}
	if err := precheck(oc, decide); err != nil {
		return nil, err
	}
	if oc.o.Status == assurance.AwaitingBalance && needsAck(oc.o) && !ack {
		data, _ := json.Marshal(req)
		return a.askAck(ctx, r, oc.o, ackPay, string(data))
	}
	o, evs, err := a.commit(ctx, r, oc, decide)
	if err != nil {
		return nil, err
	}
	a.announce(ctx, r, oc.st, o, evs, nil)
	resp := a.movedReply(r, o, evs)
	resp.Data.Embeds = append(resp.Data.Embeds, a.paymentNotes(p, o, amount, req.Method))
	return resp, nil
}

// paymentWarnings are the method warnings worth showing with a payment (POLICY.md section 4).
var paymentWarnings = []string{"bank_fees_extra", assurance.WarnMayArriveShort, assurance.WarnFeeUnknown, assurance.WarnTotalOverLimit}

// paymentNotes shows the method's fee and total to pay, whether the method suits the payment
// (POLICY.md section 4), and that only payments through Alibaba.com are covered.
func (a *App) paymentNotes(p Printer, o *state.Order, amount decimal.Decimal, method string) *discordgo.MessageEmbed {
	var lines []string
	if ok, why := a.Policy.MethodAllowed(method, amount, o.Currency, ""); !ok {
		lines = append(lines, "• "+p.T("warn.pay."+why, "method", p.T("pay."+method), "amount", assurance.FormatMoney(amount, o.Currency), "currency", o.Currency))
	}
	for _, opt := range a.Policy.PaymentOptions(amount, o.Currency, "", true) {
		if opt.Code != method {
			continue
		}
		if opt.FeeKnown && opt.Fee.IsPositive() {
			key := "pay.fee"
			if opt.FeeUpTo {
				key = "pay.fee_up_to"
			}
			lines = append(lines, "• "+p.T(key, "fee", assurance.FormatMoney(opt.Fee, o.Currency), "total", assurance.FormatMoney(opt.Total, o.Currency)))
		}
		lines = append(lines, "• "+p.T("pay.arrival", "arrival", opt.Arrival))
		for _, w := range opt.Warnings {
			if slices.Contains(paymentWarnings, w) {
				lines = append(lines, "• "+p.T("pay.warn."+w, "currency", o.Currency))
			}
		}
	}
	lines = append(lines, "• "+p.T("pay.covered_only"))
	return &discordgo.MessageEmbed{Title: p.T("pay.notes"), Color: colorWarn, Description: strings.Join(lines, "\n")}
}
