package commands

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// Export bounds: at most this many orders, and a file under Discord's upload limit.
const (
	exportMaxOrders = 10000
	exportMaxBytes  = 8 << 20
)

func (a *App) orderExportSpec() Spec {
	return Spec{
		Command: "order", Sub: "export", Handle: a.orderExport, Write: true,
		Options: []*discordgo.ApplicationCommandOption{choiceOpt("status", false, choices("status.", statusValues()...))},
	}
}

// exportHeader names the CSV columns.
var exportHeader = []string{
	"number", "status", "buyer_id", "buyer_name", "supplier", "total", "currency", "deposit", "paid", "payment_method",
	"coverage", "incoterm", "quantity", "ship_date", "shipped_on", "tracking", "received_on", "alibaba_order",
	"buyer_tier", "inspection", "created_at", "updated_at",
}

// orderExport answers with a CSV file of the orders the member may see (newest update first).
func (a *App) orderExport(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	status, err := r.Choice("status", statusValues()...)
	if err != nil {
		return nil, err
	}
	b := a.Store.Batch()
	st := b.Settings(r.Guild)
	if err := b.Exec(ctx); err != nil {
		return nil, err
	}
	buyer := ""
	if serverRole(*st, r) == assurance.RoleNone {
		buyer = r.User.ID
	}
	pg, err := a.Store.ListOrders(ctx, r.Guild, state.IndexKey(buyer, status), 0, exportMaxOrders)
	if err != nil {
		return nil, err
	}
	data, rows := exportCSV(pg.Orders)
	text := r.Msg.T("export.done", "count", rows)
	if int64(rows) < pg.Total {
		text += " " + r.Msg.T("export.truncated", "total", pg.Total)
	}
	resp := reply(false, text, nil, nil)
	resp.Data.Files = []*discordgo.File{{
		Name: "orders-" + assurance.DateOf(r.Now).String() + ".csv", ContentType: "text/csv", Reader: bytes.NewReader(data),
	}}
	return resp, nil
}

// exportCSV writes the orders as CSV, stopping before the file would pass exportMaxBytes, and
// returns the file and how many orders it holds.
func exportCSV(orders []*state.Order) ([]byte, int) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(exportHeader)
	n := 0
	for _, o := range orders {
		rec := exportRecord(o)
		for i := range rec {
			rec[i] = neutralise(rec[i])
		}
		size := buf.Len()
		_ = w.Write(rec)
		w.Flush()
		if buf.Len() > exportMaxBytes {
			buf.Truncate(size)
			break
		}
		n++
	}
	w.Flush()
	return buf.Bytes(), n
}

// exportRecord is one order's CSV row.
func exportRecord(o *state.Order) []string {
	deposit, inspection := "", ""
	if o.Deposit != nil {
		deposit = o.Deposit.String()
	}
	if o.Inspection != nil {
		inspection = o.Inspection.Result
	}
	qty := ""
	if o.Quantity > 0 {
		qty = strconv.FormatInt(o.Quantity, 10)
	}
	return []string{
		strconv.FormatInt(o.Number, 10), string(o.Status), o.Buyer, o.BuyerName, o.Supplier, o.Total.String(), o.Currency,
		deposit, o.Arrived().String(), o.Method, o.Coverage, o.Incoterm, qty, o.ShipDate.String(), o.ShippedOn.String(),
		o.Tracking, o.ReceivedOn.String(), o.AlibabaOrder, o.BuyerTier, inspection,
		o.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), o.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"),
	}
}

// neutralise keeps spreadsheets from running a cell as a formula: a cell that begins with =, +, -, @
// (or a tab or carriage return, which some spreadsheets skip) gets a leading apostrophe.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
