package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
	"github.com/tradeguard/tradeguard/state"
)

// maxEvidenceRetries bounds the compare-and-set retries when adding evidence to a walk-through in progress.
const maxEvidenceRetries = 4

// disputeEvidence adds a file, a link or a note to the order's dispute in force, or to the member's
// walk-through in progress (it is then filed with the dispute). A file is kept as Discord's attachment
// URL and name, never its bytes.
func (a *App) disputeEvidence(ctx context.Context, r *Request) (*discordgo.InteractionResponse, error) {
	o, role, err := a.loadOrder(ctx, r, "order")
	if err != nil {
		return nil, err
	}
	link, err := r.Text("link", false, maxLinkLen)
	if err != nil {
		return nil, err
	}
	if link != "" && !webLink(link) {
		return nil, Fail("error.url", "field", "link", "value", truncate(link, 100))
	}
	note, err := r.Text("note", false, maxNoteLen)
	if err != nil {
		return nil, err
	}
	kind, err := r.Choice("kind", a.Policy.EvidenceKinds...)
	if err != nil {
		return nil, err
	}
	it := state.EvidenceItem{Kind: kind, Link: link, Note: note, By: r.User.ID, Name: actor(r).name, At: r.Now.UTC()}
	if f := r.Attachment("file"); f != nil {
		it.File, it.FileURL, it.ContentType, it.Size = f.Filename, f.URL, f.ContentType, f.Size
	}
	if it.Link == "" && it.Note == "" && it.File == "" {
		return nil, Fail("dispute.evidence.empty")
	}
	p := r.Msg
	if o.Dispute != 0 {
		d, err := a.activeDispute(ctx, o)
		if err != nil {
			return nil, err
		}
		ev := actor(r).event(evEvidence, it.At)
		ev.Note, ev.Args = plainItem(p, it), disputeArgs(d, "", nil)
		if err := a.Store.AddEvidence(ctx, r.Guild, o.Number, d.Number, it, ev); err != nil {
			if errors.Is(err, state.ErrFull) {
				return nil, Fail("dispute.evidence.full", "max", state.MaxEvidenceItems)
			}
			return nil, err
		}
		return reply(false, p.T("dispute.evidence.added", "order", o.Number, "dispute", o.Dispute, "item", itemText(p, it)), nil, nil), nil
	}
	if role == assurance.RoleBuyer {
		resp, err := a.evidenceToWalk(ctx, r, o, it)
		if resp != nil || err != nil {
			return resp, err
		}
	}
	return nil, Fail("dispute.evidence.no_dispute", "order", o.Number)
}

// evidenceToWalk adds an item to the member's walk-through for the order and shows it again (with
// buttons of the new version); nil when there is no walk-through in progress.
func (a *App) evidenceToWalk(ctx context.Context, r *Request, o *state.Order, it state.EvidenceItem) (*discordgo.InteractionResponse, error) {
	for range maxEvidenceRetries {
		c, err := a.Store.FindConversation(ctx, r.Guild, disputeFlow, convKey(o.Number, r.User.ID))
		if state.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if c.Step == stepDone {
			return nil, nil
		}
		w, err := a.loadWalk(ctx, r, c)
		if err != nil {
			return nil, err
		}
		if len(w.d.Items) >= state.MaxEvidenceItems {
			return nil, Fail("dispute.evidence.full", "max", state.MaxEvidenceItems)
		}
		w.d.Items = append(w.d.Items, it)
		if c.Data, err = w.d.encode(); err != nil {
			return nil, err
		}
		switch err := a.Store.AdvanceConversation(ctx, c, r.Now, disputeTTL); {
		case state.IsConflict(err), state.IsNotFound(err):
			continue
		case err != nil:
			return nil, err
		}
		return a.screen(ctx, w, r.Msg.T("dispute.evidence.added_walk", "order", o.Number, "item", itemText(r.Msg, it)), false)
	}
	return nil, fmt.Errorf("add evidence to the walk-through of order %d: %w", o.Number, state.ErrConflict)
}
