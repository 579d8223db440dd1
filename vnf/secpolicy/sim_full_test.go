package secpolicy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/internal/simtest"
)

// TestCommitAddressBookAndUTMOnSimulatedSRX commits the sample policy, with
// its address book, UTM policy and NAT, to the simulator's srx345.
func TestCommitAddressBookAndUTMOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := simtest.Dial(t, ctx, simtest.Start(t, ctx, "fw1", "srx345"), simtest.User, simtest.Password)
	c, _, err := Compile(sample())
	if err != nil {
		t.Fatal(err)
	}
	b := simtest.Commit(t, ctx, s, c.AddressXML, c.PoliciesXML, c.NATXML)
	for _, w := range strings.Split(strings.TrimSpace(string(c.Set)), "\n") {
		if !strings.Contains(b, w) {
			t.Errorf("lacks %q", w)
		}
	}
}
