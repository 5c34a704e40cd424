package commands

import (
	"context"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// specInputs are the Specs form's fields: input custom_id (the checklist item code) and current value.
func specInputs(s state.Specs) [][2]string {
	return [][2]string{
		{assurance.SpecDesignFiles, s.DesignFiles}, {assurance.SpecQuality, s.Quality},
		{assurance.SpecPackaging, s.Packaging}, {assurance.SpecCustomisation, s.Customisation},
	}
}

// specsRoutes are the Specs button and its form.
func (a *App) specsRoutes() []Route {
	return []Route{
		{Type: discordgo.InteractionMessageComponent, Path: flowSpecs + ":open", Handle: a.specsOpen, OpensModal: true},
		{Type: discordgo.InteractionModalSubmit, Path: flowSpecs + ":save", Handle: a.specsSave, Write: true},
	}
}

// specsOpen opens the Specs form, filled with the checklist as it is, for a member who may change it.
func (a *App) specsOpen(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	if _, err := assurance.ChangePolicy(oc.o.Status, oc.role, assurance.TermSpecs, paymentRecorded(oc.o)); err != nil {
		return nil, refusal(r.Msg, oc.o, oc.role, err)
	}
	p := r.Msg
	rows := make([]discordgo.MessageComponent, 0, 4)
	for _, in := range specInputs(oc.o.Specs) {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: in[0], Label: p.T("spec." + in[0]), Style: discordgo.TextInputParagraph,
			Placeholder: p.T("spec.hint." + in[0]), Value: in[1], MaxLength: maxSpecLen,
		}}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID:   CustomID{Flow: flowSpecs, Step: "save", ID: num(n)}.String(),
		Title:      truncate(p.T("spec.title", "number", n), maxModalTitle),
		Components: rows,
	}}, nil
}

// specsSave applies the submitted checklist, or asks the other side to agree (POLICY.md 2.1).
func (a *App) specsSave(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	n, err := customOrder(r)
	if err != nil {
		return nil, err
	}
	var s state.Specs
	dst := map[string]*string{
		assurance.SpecDesignFiles: &s.DesignFiles, assurance.SpecQuality: &s.Quality,
		assurance.SpecPackaging: &s.Packaging, assurance.SpecCustomisation: &s.Customisation,
	}
	for code, v := range dst {
		*v = clean(r.Field(code))
		if l := utf8.RuneCountInString(*v); l > maxSpecLen {
			return nil, Fail("error.field.too_long", "field", r.Msg.T("spec."+code), "max", maxSpecLen, "len", l)
		}
	}
	oc, err := a.openOrder(ctx, r, n, nil)
	if err != nil {
		return nil, err
	}
	if oc.o.Specs == s {
		return nil, Fail("spec.unchanged", "number", n)
	}
	resp, err := a.changeTerm(ctx, r, oc, specsTerm, func(*state.Order) (state.Change, error) {
		return state.Change{Field: fieldSpecs, Specs: &s}, nil
	})
	if err != nil {
		return nil, err
	}
	if missing := specChecklist(&state.Order{Specs: s, Quantity: oc.o.Quantity}).Missing(); len(missing) > 0 && resp.Data != nil {
		resp.Data.Content += "\n" + r.Msg.T("spec.still_missing", "items", itemNames(r.Msg, missing))
	}
	return resp, nil
}
