package commands

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"
)

//go:embed locales
var localeFiles embed.FS

// DefaultLanguage is the catalog language used when a member's locale has no catalog or lacks a key.
const DefaultLanguage = "en"

// Catalog holds every member-visible text, per language, keyed by a stable message key.
// Texts use named placeholders: "Order #{number} created".
type Catalog struct {
	texts map[string]map[string]string // language -> key -> text
}

// LoadCatalog reads the embedded locales/<language>/*.json files (one file per area of the bot;
// a key defined twice in one language is an error).
func LoadCatalog() (*Catalog, error) {
	langs, err := localeFiles.ReadDir("locales")
	if err != nil {
		return nil, fmt.Errorf("read locales: %w", err)
	}
	c := &Catalog{texts: map[string]map[string]string{}}
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		files, err := localeFiles.ReadDir(path.Join("locales", l.Name()))
		if err != nil {
			return nil, fmt.Errorf("read locale %s: %w", l.Name(), err)
		}
		texts := map[string]string{}
		for _, f := range files {
			name := path.Join("locales", l.Name(), f.Name())
			data, err := localeFiles.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			m := map[string]string{}
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			for k, v := range m {
				if _, dup := texts[k]; dup {
					return nil, fmt.Errorf("%s: key %q is defined twice in %s", name, k, l.Name())
				}
				texts[k] = v
			}
		}
		c.texts[l.Name()] = texts
	}
	if _, ok := c.texts[DefaultLanguage]; !ok {
		return nil, fmt.Errorf("locale %s is missing", DefaultLanguage)
	}
	return c, nil
}

// Languages lists the catalog's languages, sorted.
func (c *Catalog) Languages() []string {
	out := make([]string, 0, len(c.texts))
	for l := range c.texts {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Keys lists the keys of a language, sorted.
func (c *Catalog) Keys(lang string) []string {
	out := make([]string, 0, len(c.texts[lang]))
	for k := range c.texts[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the default language defines key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.texts[DefaultLanguage][key]
	return ok
}

// language maps a Discord locale to a catalog language: zh-TW and zh-CN when present, else English.
func (c *Catalog) language(loc discordgo.Locale) string {
	if _, ok := c.texts[string(loc)]; ok {
		return string(loc)
	}
	return DefaultLanguage
}

// Printer renders catalog texts in one language.
type Printer struct {
	c    *Catalog
	lang string
}

// For returns a Printer for the Discord locale (falling back to English).
func (c *Catalog) For(loc discordgo.Locale) Printer { return Printer{c: c, lang: c.language(loc)} }

// Lang is the printer's catalog language.
func (p Printer) Lang() string { return p.lang }

// T renders key with name/value argument pairs. A key missing from the catalog renders
// as the key itself (tests make sure none is missing).
func (p Printer) T(key string, args ...any) string {
	text, ok := p.c.texts[p.lang][key]
	if !ok {
		if text, ok = p.c.texts[DefaultLanguage][key]; !ok {
			return key
		}
	}
	if len(args) == 0 || !strings.Contains(text, "{") {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}
