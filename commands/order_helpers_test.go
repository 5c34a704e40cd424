package commands_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/commands/commandstest"
	"github.com/tradeguard/tradeguard/state"
)

// newHarness is a harness without the write-rate limit (table tests make hundreds of writes a minute).
func newHarness(t *testing.T) *commandstest.Harness {
	t.Helper()
	return commandstest.New(t, commands.WithWriteLimit(0))
}

// baseOrder is the order most tests start from.
const baseOrder = `/order create supplier:"Shenzhen Acme" total:1200 deposit:360 payment-method:tt ship-date:2026-12-20 incoterm:FOB quantity:500`

var createdRe = regexp.MustCompile(`Order #(\d+) created`)

// create runs an /order create line and returns the new order's number.
func create(t *testing.T, h *commandstest.Harness, m commandstest.Member, line string) int64 {
	t.Helper()
	rec := h.Command(m, line)
	sm := createdRe.FindStringSubmatch(rec.Text())
	if sm == nil {
		t.Fatalf("%s: no order created:\n%s", line, rec.Text())
	}
	n, _ := strconv.ParseInt(sm[1], 10, 64)
	return n
}

// seed creates an order of buyer and puts it straight into state s with the record that state
// implies (payments, dates, the state before a dispute), through the store.
func seed(t *testing.T, h *commandstest.Harness, buyer commandstest.Member, s assurance.Status) int64 {
	t.Helper()
	n := create(t, h, buyer, baseOrder)
	if s == assurance.AwaitingConfirmation {
		return n
	}
	at := h.Now()
	_, _, err := h.Store.UpdateOrder(context.Background(), commandstest.Guild, n, nil, func(o *state.Order) ([]state.Event, error) {
		pay := func(amount, status string) {
			o.Payments = append(o.Payments, state.Payment{Amount: decimal.RequireFromString(amount), Method: "tt", Status: status, At: at})
		}
		switch s {
		case assurance.AwaitingPayment, assurance.Cancelled:
		case assurance.PaymentProcessing:
			pay("360", state.PaymentPending)
		case assurance.AwaitingBalance:
			pay("360", state.PaymentArrived)
		default:
			pay("360", state.PaymentArrived)
			pay("840", state.PaymentArrived)
		}
		if len(o.Payments) > 0 {
			o.FirstShip = o.ShipDate
		}
		switch s {
		case assurance.InTransit:
			o.ShippedOn, _ = assurance.ParseDate("2026-11-20")
		case assurance.Received, assurance.Completed:
			o.ShippedOn, _ = assurance.ParseDate("2026-11-20")
			o.ReceivedOn, _ = assurance.ParseDate("2026-11-25")
		case assurance.InDispute, assurance.DisputeEscalated, assurance.RefundPending:
			o.Prior = assurance.AwaitingShipment
		}
		o.Status, o.StatusAt = s, at
		return []state.Event{{Type: "status", At: at, From: assurance.AwaitingConfirmation, To: s, Args: map[string]string{"action": "force"}}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot is an order's stored record and timeline length, to check that a refusal wrote nothing.
type snapshot struct {
	version int64
	record  string
	events  int
}

func snap(t *testing.T, h *commandstest.Harness, n int64) snapshot {
	t.Helper()
	ctx := context.Background()
	o, err := h.Store.GetOrder(ctx, commandstest.Guild, n)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(o)
	evs, err := h.Store.Events(ctx, commandstest.Guild, n, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{version: o.Version, record: string(b), events: len(evs)}
}

// order loads an order from the store.
func order(t *testing.T, h *commandstest.Harness, n int64) *state.Order {
	t.Helper()
	o, err := h.Store.GetOrder(context.Background(), commandstest.Guild, n)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// events loads an order's timeline.
func events(t *testing.T, h *commandstest.Harness, n int64) []state.Event {
	t.Helper()
	evs, err := h.Store.Events(context.Background(), commandstest.Guild, n, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// cmd formats a command line with the order number.
func cmd(format string, n int64) string {
	return regexp.MustCompile(`#N`).ReplaceAllString(format, strconv.FormatInt(n, 10))
}
