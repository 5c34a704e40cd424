package state

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"
)

// Supplier is what a server knows of one supplier: its Trade Assurance limit and store.
// Stored as a hash at supplier:<slug>; supplier:<slug>:open holds "<total> <currency>" per open order
// (kept by the order scripts), and suppliers maps every slug to its name for autocomplete.
type Supplier struct {
	Slug     string
	Name     string
	Limit    decimal.Decimal // Trade Assurance limit, in Currency
	Currency string
	StoreURL string
	By       string // user ID of who last set it
	At       time.Time
}

// OpenTotal is one open order counting against its supplier's limit.
type OpenTotal struct {
	Number   int64
	Total    decimal.Decimal
	Currency string
}

// maxSlug bounds a supplier slug, in characters.
const maxSlug = 60

// Slug is the key form of a supplier name: lower case letters and digits, other runs of characters
// as one '-'. Names that differ only in case, spacing or punctuation share a slug ("Acme Ltd." and
// "acme ltd"). A name with no letter or digit gets a hash.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	n := 0
	for _, r := range strings.ToLower(name) {
		if n >= maxSlug {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			b.WriteRune(r)
			n++
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		h := fnv.New32a()
		_, _ = h.Write([]byte(name))
		return "s" + strconv.FormatUint(uint64(h.Sum32()), 16)
	}
	return b.String()
}

func supplierKey(slug string) string     { return "supplier:" + slug }
func supplierOpenKey(slug string) string { return "supplier:" + slug + ":open" }
func supplierSumKey(slug string) string  { return "supplier:" + slug + ":sum" }

var supplierFields = []string{"name", "limit", "currency", "url", "by", "at"}

// saveSupplierScript writes a supplier record unless it exists and overwriting is not allowed.
// KEYS[1] the record, KEYS[2] the name index. ARGV[1] "1" to overwrite, ARGV[2] slug, ARGV[3..] field/value pairs.
var saveSupplierScript = redis.NewScript(`
if ARGV[1] ~= '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local f = {}
for i = 3, #ARGV do f[#f + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(f))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
return 1`)

// SaveSupplier writes a supplier record (sup.Slug is set from the name). With overwrite false it
// writes only when the server has no record of the supplier yet and reports false otherwise.
func (s *Store) SaveSupplier(ctx context.Context, guild string, sup *Supplier, overwrite bool) (bool, error) {
	sup.Slug = Slug(sup.Name)
	ow := "0"
	if overwrite {
		ow = "1"
	}
	ok, err := saveSupplierScript.Run(ctx, s.rdb, []string{s.guildKey(guild, supplierKey(sup.Slug)), s.guildKey(guild, "suppliers")},
		ow, sup.Slug, "name", sup.Name, "limit", sup.Limit.String(), "currency", sup.Currency, "url", sup.StoreURL,
		"by", sup.By, "at", sup.At.UTC().Format(time.RFC3339)).Int64()
	if err != nil {
		return false, wrap("save supplier "+sup.Slug, err)
	}
	return ok == 1, nil
}

// decodeSupplier decodes the record fields in supplierFields order; nil when the record does not exist.
func decodeSupplier(slug string, vals []any) (*Supplier, error) {
	str := func(i int) string { v, _ := vals[i].(string); return v }
	if str(0) == "" {
		return nil, nil
	}
	sup := &Supplier{Slug: slug, Name: str(0), Currency: str(2), StoreURL: str(3), By: str(4)}
	lim, err := decimal.NewFromString(str(1))
	if err != nil {
		return nil, fmt.Errorf("supplier %s: bad limit %q", slug, str(1))
	}
	sup.Limit = lim
	sup.At, _ = time.Parse(time.RFC3339, str(5))
	return sup, nil
}

// decodeOpen decodes a supplier's open-order hash.
func decodeOpen(m map[string]string) []OpenTotal {
	out := make([]OpenTotal, 0, len(m))
	for k, v := range m {
		n, err := strconv.ParseInt(k, 10, 64)
		amount, cur, ok := strings.Cut(v, " ")
		d, derr := decimal.NewFromString(amount)
		if err != nil || !ok || derr != nil {
			continue
		}
		out = append(out, OpenTotal{Number: n, Total: d, Currency: cur})
	}
	return out
}

// SuggestSuppliers returns up to limit known supplier names whose slug contains the slug of typed.
func (s *Store) SuggestSuppliers(ctx context.Context, guild, typed string, limit int) ([]string, error) {
	match := "*"
	if strings.TrimSpace(typed) != "" {
		match = "*" + escapeGlob(Slug(typed)) + "*"
	}
	var out []string
	iter := s.rdb.HScan(ctx, s.guildKey(guild, "suppliers"), 0, match, 200).Iterator()
	for i := 0; iter.Next(ctx) && len(out) < limit; i++ {
		if i%2 == 1 { // HSCAN yields field, value, field, value ...
			out = append(out, iter.Val())
		}
	}
	if err := iter.Err(); err != nil {
		return nil, wrap("suggest suppliers", err)
	}
	return out, nil
}

// escapeGlob escapes the characters Redis MATCH patterns treat specially.
func escapeGlob(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`).Replace(s)
}
