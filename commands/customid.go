package commands

import (
	"fmt"
	"strings"
)

// customIDVersion prefixes every custom_id we issue, so a future layout can coexist with old messages.
const customIDVersion = "v1"

// maxCustomID is Discord's limit on a custom_id's length.
const maxCustomID = 100

// CustomID is the parsed form of a component or modal custom_id:
// v1:<flow>:<step>:<id>[:<arg>...]. It is built and parsed only here.
type CustomID struct {
	Flow string   // e.g. "dispute", "order"
	Step string   // e.g. "step", "page"
	ID   string   // conversation id, order number ...; may be empty
	Args []string // optional extra arguments
}

// Path is the routing key of the custom_id: "<flow>:<step>".
func (c CustomID) Path() string { return c.Flow + ":" + c.Step }

// Arg returns the i-th extra argument, or "" when absent.
func (c CustomID) Arg(i int) string {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return ""
}

// String encodes c. It panics only on a programming error (a part containing ':' or an id over 100 characters),
// which the limits validator and tests catch.
func (c CustomID) String() string {
	parts := append([]string{customIDVersion, c.Flow, c.Step, c.ID}, c.Args...)
	for _, p := range parts[1:] {
		if strings.Contains(p, ":") {
			panic(fmt.Sprintf("custom_id part %q contains ':'", p))
		}
	}
	s := strings.Join(parts, ":")
	if len(s) > maxCustomID {
		panic(fmt.Sprintf("custom_id %q is longer than %d", s, maxCustomID))
	}
	return s
}

// ParseCustomID decodes a custom_id produced by CustomID.String.
func ParseCustomID(s string) (CustomID, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 4 || parts[0] != customIDVersion || parts[1] == "" || parts[2] == "" {
		return CustomID{}, fmt.Errorf("custom_id %q: not a %s custom_id", s, customIDVersion)
	}
	return CustomID{Flow: parts[1], Step: parts[2], ID: parts[3], Args: parts[4:]}, nil
}
