package commands

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

func (a *App) supplierSetSpec() Spec {
	return Spec{
		Command: "supplier", Sub: "set", Handle: a.supplierSet, Write: true, Autocomplete: a.supplierSuggest,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "name", Required: true, MaxLength: maxSupplierLen, Autocomplete: true},
			strOpt("ta-limit", true, 20),
			strOpt("store-url", false, maxURLLen),
			{Type: discordgo.ApplicationCommandOptionString, Name: "currency", MinLength: ptr(3), MaxLength: 3},
		},
	}
}

func (a *App) supplierShowSpec() Spec {
	return Spec{
		Command: "supplier", Sub: "show", Handle: a.supplierShow, ReadOnly: true, Autocomplete: a.supplierSuggest,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "name", Required: true, MaxLength: maxSupplierLen, Autocomplete: true},
		},
	}
}

// supplierSet records a supplier's Trade Assurance limit (and store). Agents and moderators may
// change a record; any member may create one for a supplier the server does not know yet.
func (a *App) supplierSet(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	name, err := r.textOpt("name", true, maxSupplierLen, false)
	if err != nil {
		return nil, err
	}
	currency, err := r.Currency("currency")
	if err != nil {
		return nil, err
	}
	limit, _, err := r.Amount("ta-limit", currency, true)
	if err != nil {
		return nil, err
	}
	store, err := r.textOpt("store-url", false, maxURLLen, false)
	if err != nil {
		return nil, err
	}
	if store != "" && !webLink(store) {
		return nil, Fail("error.url", "field", "store-url", "value", truncate(store, 80))
	}
	slug := state.Slug(name)
	b := a.Store.Batch()
	st := b.Settings(r.Guild)
	sup := b.Supplier(r.Guild, slug)
	if err := b.Exec(ctx); err != nil {
		return nil, err
	}
	rec := &state.Supplier{Name: name, Limit: limit, Currency: currency, StoreURL: store, By: r.User.ID, At: r.Now.UTC()}
	saved, err := a.Store.SaveSupplier(ctx, r.Guild, rec, serverRole(*st, r) != assurance.RoleNone)
	if err != nil {
		return nil, err
	}
	if !saved {
		return nil, Fail("supplier.agents_only", "supplier", sup.Supplier.Name)
	}
	after := &state.SupplierRead{Supplier: rec, Open: sup.Open, Sums: sup.Sums}
	e := a.supplierEmbed(r.Msg, after, serverRole(*st, r))
	return reply(false, r.Msg.T("supplier.saved", "supplier", name), []*discordgo.MessageEmbed{e}, nil), nil
}

// supplierShow shows a supplier's limit and remaining limit in this server.
func (a *App) supplierShow(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	name, err := r.textOpt("name", true, maxSupplierLen, false)
	if err != nil {
		return nil, err
	}
	b := a.batch(r)
	st := b.Settings(r.Guild)
	sup := b.Supplier(r.Guild, state.Slug(name))
	if err := b.Exec(ctx); err != nil {
		return nil, err
	}
	if sup.Supplier == nil {
		return nil, Fail("supplier.unknown", "supplier", name)
	}
	return reply(false, "", []*discordgo.MessageEmbed{a.supplierEmbed(r.Msg, sup, serverRole(*st, r))}, nil), nil
}

// supplierEmbed shows the limit, the open orders counting against it and what remains. Agents and
// moderators also see the order numbers.
func (a *App) supplierEmbed(p Printer, sup *state.SupplierRead, role assurance.Role) *discordgo.MessageEmbed {
	s, open, remaining := sup.Supplier, sup.Open, sup.Remaining(nil)
	sort.Slice(open, func(i, j int) bool { return open[i].Number < open[j].Number })
	var nums, other []string
	for _, t := range open {
		if t.Currency != s.Currency {
			other = append(other, "#"+strconv.FormatInt(t.Number, 10)+" "+assurance.FormatMoney(t.Total, t.Currency))
			continue
		}
		nums = append(nums, "#"+strconv.FormatInt(t.Number, 10))
	}
	fields := []*discordgo.MessageEmbedField{
		field(p.T("supplier.field.limit"), assurance.FormatMoney(s.Limit, s.Currency), true),
		field(p.T("supplier.field.open"), strconv.Itoa(len(nums)), true),
		field(p.T("supplier.field.remaining"), assurance.FormatMoney(remaining, s.Currency), true),
	}
	if s.StoreURL != "" {
		fields = append(fields, field(p.T("supplier.field.store"), s.StoreURL, false))
	}
	if role != assurance.RoleNone && len(nums) > 0 {
		fields = append(fields, field(p.T("supplier.field.orders"), strings.Join(nums, ", "), false))
	}
	if len(other) > 0 {
		fields = append(fields, field(p.T("supplier.field.other_currency"), p.T("supplier.other_currency", "count", len(other)), false))
	}
	color := colorInfo
	if remaining.IsNegative() {
		color = colorWarn
	}
	return &discordgo.MessageEmbed{
		Title: truncate(s.Name, maxEmbedTitle), Color: color, Fields: fields,
		Description: p.T("supplier.explain"),
		Footer:      &discordgo.MessageEmbedFooter{Text: p.T("supplier.footer", "at", s.At.UTC().Format(timeLayout))},
	}
}

// supplierSuggest answers autocomplete of supplier names.
func (a *App) supplierSuggest(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	typed := ""
	if f := r.Focused(); f != nil {
		typed, _ = f.Value.(string)
	}
	names, err := a.Store.SuggestSuppliers(ctx, r.Guild, typed, maxChoices)
	if err != nil {
		return nil, err
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(names))
	for _, n := range names {
		n = truncate(n, maxChoiceName)
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
	}
	return autocompleteResult(out), nil
}
