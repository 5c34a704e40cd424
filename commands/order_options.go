package commands

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
)

// Length limits of free-text order fields (characters).
const (
	maxSupplierLen = 100
	maxNoteLen     = 1000
	maxReasonLen   = 500
	maxTrackingLen = 100
	maxSpecLen     = 1000
	maxAddressLen  = 500
	maxAlibabaLen  = 40
	maxURLLen      = 300
)

// Option values of /order.
const (
	coveragePostDelivery = "post_delivery"
	coveragePreShipment  = "pre_shipment"
	valuePaymentFailed   = "payment_failed" // /order update status: the payment did not arrive
)

// incoterms are the Incoterms 2020 codes in their usual order.
var incoterms = []string{"EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"}

// inspectionResults are the values of /order inspection result.
var inspectionResults = []string{"pass", "fail", "pending", "not_done"}

// buyerTiers are the values of buyer-tier.
var buyerTiers = []string{"standard", "enterprise"}

// choices builds option choices whose names are catalog keys prefix+value (lower case).
func choices(prefix string, values ...string) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(values))
	for _, v := range values {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: prefix + strings.ToLower(v), Value: v})
	}
	return out
}

// statusValues are the state codes, plus extra values.
func statusValues(extra ...string) []string {
	out := make([]string, 0, len(assurance.Statuses)+len(extra))
	for _, s := range assurance.Statuses {
		out = append(out, string(s))
	}
	return append(out, extra...)
}

// methodCodes are the payment-method codes of the policy (POLICY.md section 4).
func (a *App) methodCodes() []string {
	out := make([]string, 0, len(a.Policy.PaymentMethods))
	for _, m := range a.Policy.PaymentMethods {
		out = append(out, m.Code)
	}
	return out
}

func strOpt(name string, required bool, maxLen int) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Required: required, MaxLength: maxLen}
}

func choiceOpt(name string, required bool, ch []*discordgo.ApplicationCommandOptionChoice) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Required: required, Choices: ch}
}

func dateOpt(name string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, MinLength: ptr(10), MaxLength: 10}
}

// controlChars matches control characters other than newline and tab.
var controlChars = regexp.MustCompile("[\u0000-\u0008\u000b-\u001f\u007f]")

// clean removes control characters from member text (they break logs, CSV files and displays).
func clean(s string) string { return strings.TrimSpace(controlChars.ReplaceAllString(s, "")) }

// oneLine flattens text to one line (for names and short fields).
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(clean(s), func(r rune) bool { return unicode.IsSpace(r) }), " ")
}

// textOpt reads a text option: cleaned, checked for length, flattened to one line unless multiline.
func (r *Request) textOpt(name string, required bool, maxLen int, multiline bool) (string, error) {
	s, err := r.Text(name, required, maxLen)
	if err != nil {
		return "", err
	}
	if multiline {
		return clean(s), nil
	}
	return oneLine(s), nil
}
