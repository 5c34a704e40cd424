package assurance_test

import (
	"testing"

	"github.com/tradeguard/tradeguard/assurance"
)

func TestKnownCountry(t *testing.T) {
	for _, c := range []string{"US", "BR", "IN", "CN", "HK", "TW", "DE", "AX", "ZW"} {
		if !assurance.KnownCountry(c) {
			t.Errorf("%s is a country", c)
		}
	}
	for _, c := range []string{"", "us", "EU", "UK", "XX", "USA", "U"} {
		if assurance.KnownCountry(c) {
			t.Errorf("%q is not an assigned alpha-2 code", c)
		}
	}
	// Every country a payment method of the default policy names is known.
	p := assurance.Default()
	for _, m := range p.PaymentMethods {
		for _, c := range append(append([]string{}, m.Countries...), m.ExcludedCountries...) {
			if c == assurance.Everyone {
				continue
			}
			if g, ok := p.CountryGroups[c]; ok {
				for _, gc := range g {
					if !assurance.KnownCountry(gc) {
						t.Errorf("%s: group %s member %s unknown", m.Code, c, gc)
					}
				}
				continue
			}
			if !assurance.KnownCountry(c) {
				t.Errorf("%s: country %s unknown", m.Code, c)
			}
		}
	}
}
