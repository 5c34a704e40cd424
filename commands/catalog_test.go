package commands

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/assurance"
)

// keyUse finds catalog keys written as literals in calls: T("key" ...), Fail("key" ...), descKey-free texts.
var keyUse = regexp.MustCompile(`(?:\.T|Fail|msgKey)\("([a-z0-9_.\-]+[a-z0-9_\-])"`)

func TestEveryKeyUsedExists(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(b), -1) {
			found++
			if !cat.Has(m[1]) {
				t.Errorf("%s uses catalog key %q, which locales/en does not define", f, m[1])
			}
		}
	}
	if found < 10 {
		t.Fatalf("found only %d key uses; the scanner is broken", found)
	}
	for _, s := range assurance.Statuses {
		if !cat.Has("status." + string(s)) {
			t.Errorf("status %s has no catalog text", s)
		}
	}
}

// checkBuiltKeys checks that every key build adds exists in English: keys made at run time from codes
// (issues, reasons, stages ...), which TestEveryKeyUsedExists cannot see.
func checkBuiltKeys(t *testing.T, build func(p *assurance.Policy, add func(keys ...string))) {
	t.Helper()
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	build(assurance.Default(), func(k ...string) { keys = append(keys, k...) })
	if len(keys) == 0 {
		t.Fatal("no keys built")
	}
	for _, k := range keys {
		if !cat.Has(k) {
			t.Errorf("catalog lacks %q", k)
		}
	}
}

func TestCatalogPlaceholdersAndFallback(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.For(discordgo.ChineseTW) // falls back to English where zh-TW lacks a key
	if got := p.T("error.order.not_found", "number", 7); got != "There is no order #7 in this server that you can see." && !strings.Contains(got, "7") {
		t.Fatalf("T = %q", got)
	}
	if got := cat.For(discordgo.EnglishUS).T("no.such.key"); got != "no.such.key" {
		t.Fatalf("missing key renders %q", got)
	}
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, lang := range cat.Languages() {
		for _, k := range cat.Keys(lang) {
			en := placeholder.FindAllString(cat.texts[DefaultLanguage][k], -1)
			got := placeholder.FindAllString(cat.texts[lang][k], -1)
			if strings.Join(sorted(en), ",") != strings.Join(sorted(got), ",") {
				t.Errorf("%s %s: placeholders %v differ from English %v", lang, k, got, en)
			}
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestChineseCatalogs(t *testing.T) {
	cat, err := LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range []discordgo.Locale{discordgo.ChineseTW, discordgo.ChineseCN} {
		p := cat.For(loc)
		if p.Lang() != string(loc) {
			t.Fatalf("%s falls back to %s", loc, p.Lang())
		}
		if got := p.T("error.order.not_found", "number", 7); !strings.Contains(got, "#7") || strings.Contains(got, "There is") {
			t.Errorf("%s: %q", loc, got)
		}
		for _, k := range cat.Keys(string(loc)) {
			if !cat.Has(k) && !policyBacked(k) {
				t.Errorf("%s defines %q, which English lacks", loc, k)
			}
		}
		// Texts whose English lives in the policy data are translated for every payment method.
		for _, m := range assurance.Default().PaymentMethods {
			for _, k := range []string{"pay.method." + m.Code, "pay.arrival." + m.Code} {
				if !slices.Contains(cat.Keys(string(loc)), k) {
					t.Errorf("%s lacks %q", loc, k)
				}
			}
		}
	}
}

// policyBacked reports whether a key translates a text whose English is in the policy data
// (payment method names and arrival times), so English defines no catalog key for it.
func policyBacked(k string) bool {
	return strings.HasPrefix(k, "pay.method.") || strings.HasPrefix(k, "pay.arrival.")
}
