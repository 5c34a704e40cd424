package commands

import (
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Request is what a handler sees of one interaction: who asked, where, in which language, and the options.
type Request struct {
	I       *discordgo.Interaction
	Guild   string            // guild (server) ID; "" in a DM
	User    *discordgo.User   // the acting member
	Member  *discordgo.Member // nil in a DM
	Msg     Printer           // the member's language
	Now     time.Time         // when the handler started, from the router's clock
	Path    string            // "order create", "dispute:step", ...
	Custom  CustomID          // parsed custom_id for components and modals
	claim   *pendingClaim     // a read-only interaction's claim, made with its first batch
	options map[string]*discordgo.ApplicationCommandInteractionDataOption
	fields  map[string]string // modal fields by custom_id
}

// IsModerator reports whether the member has Manage Server (or Administrator) permission.
func (r *Request) IsModerator() bool {
	if r.Member == nil {
		return false
	}
	p := r.Member.Permissions
	return p&discordgo.PermissionManageGuild != 0 || p&discordgo.PermissionAdministrator != 0
}

// HasRole reports whether the member holds the role ID.
func (r *Request) HasRole(roleID string) bool {
	if r.Member == nil || roleID == "" {
		return false
	}
	for _, id := range r.Member.Roles {
		if id == roleID {
			return true
		}
	}
	return false
}

// Option returns the named option of the invoked (sub)command, or nil.
func (r *Request) Option(name string) *discordgo.ApplicationCommandInteractionDataOption {
	return r.options[name]
}

// String returns the string value of an option ("" when absent), trimmed of spaces.
func (r *Request) String(name string) string {
	o := r.options[name]
	if o == nil {
		return ""
	}
	if s, ok := o.Value.(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

// Has reports whether the option was given.
func (r *Request) Has(name string) bool { return r.options[name] != nil }

// Focused returns the option being autocompleted, or nil.
func (r *Request) Focused() *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range r.options {
		if o.Focused {
			return o
		}
	}
	return nil
}

// Field returns a modal field's submitted value, trimmed.
func (r *Request) Field(id string) string { return strings.TrimSpace(r.fields[id]) }

// Values returns the values chosen in a select menu.
func (r *Request) Values() []string {
	if r.I.Type != discordgo.InteractionMessageComponent {
		return nil
	}
	return r.I.MessageComponentData().Values
}

// commandPath flattens a command invocation into its path ("order create") and leaf options.
func commandPath(d discordgo.ApplicationCommandInteractionData) (string, map[string]*discordgo.ApplicationCommandInteractionDataOption) {
	path := []string{d.Name}
	opts := d.Options
	for len(opts) == 1 && (opts[0].Type == discordgo.ApplicationCommandOptionSubCommand ||
		opts[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
		path = append(path, opts[0].Name)
		opts = opts[0].Options
	}
	m := make(map[string]*discordgo.ApplicationCommandInteractionDataOption, len(opts))
	for _, o := range opts {
		m[o.Name] = o
	}
	return strings.Join(path, " "), m
}

// modalFields collects the text inputs of a modal submission by custom_id.
func modalFields(d discordgo.ModalSubmitInteractionData) map[string]string {
	m := map[string]string{}
	for _, c := range d.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, rc := range row.Components {
			if in, ok := rc.(*discordgo.TextInput); ok {
				m[in.CustomID] = in.Value
			}
		}
	}
	return m
}

// Attachment returns the file given for an attachment option (resolved by Discord), or nil.
func (r *Request) Attachment(name string) *discordgo.MessageAttachment {
	o := r.options[name]
	if o == nil || r.I.Type != discordgo.InteractionApplicationCommand {
		return nil
	}
	id, _ := o.Value.(string)
	res := r.I.ApplicationCommandData().Resolved
	if res == nil {
		return nil
	}
	return res.Attachments[id]
}
