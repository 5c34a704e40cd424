package commands

import (
	"strings"
	"testing"
)

func TestCustomIDRoundTrip(t *testing.T) {
	c := CustomID{Flow: "dispute", Step: "step", ID: "abc123", Args: []string{"yes", "2"}}
	s := c.String()
	if s != "v1:dispute:step:abc123:yes:2" {
		t.Fatalf("encoded %q", s)
	}
	got, err := ParseCustomID(s)
	if err != nil || got.Path() != "dispute:step" || got.ID != "abc123" || got.Arg(0) != "yes" || got.Arg(1) != "2" || got.Arg(2) != "" {
		t.Fatalf("parsed %+v, %v", got, err)
	}
	for _, bad := range []string{"", "v2:a:b:c", "v1:a", "v1::b:c", "dispute:step:1"} {
		if _, err := ParseCustomID(bad); err == nil {
			t.Errorf("ParseCustomID(%q) accepted", bad)
		}
	}
}

func TestCustomIDRefusesBadParts(t *testing.T) {
	for _, c := range []CustomID{{Flow: "a:b", Step: "s"}, {Flow: "f", Step: "s", ID: strings.Repeat("x", 100)}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%+v encoded without complaint", c)
				}
			}()
			_ = c.String()
		}()
	}
}
