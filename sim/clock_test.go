package sim

import (
	"strings"
	"testing"
	"time"
)

func TestVirtualClock(t *testing.T) {
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	c := NewVirtualClock(start)
	var got []string
	at := func(name string) func() {
		return func() { got = append(got, name+"@"+c.Now().Sub(start).String()) }
	}
	c.AfterFunc(3*time.Second, at("c"))
	c.AfterFunc(time.Second, func() {
		at("a")()
		// Scheduled while running: due within the same Advance, so it runs.
		c.AfterFunc(time.Second, at("a+1"))
	})
	c.AfterFunc(3*time.Second, at("c2")) // same deadline: scheduling order
	stop := c.AfterFunc(10*time.Second, at("never"))
	c.AfterFunc(0, at("now"))
	c.Advance(-time.Second) // treated as 0: runs what is due now
	if strings.Join(got, " ") != "now@0s" {
		t.Fatalf("after Advance(-1s): %v", got)
	}
	c.Advance(5 * time.Second)
	if want := "now@0s a@1s a+1@2s c@3s c2@3s"; strings.Join(got, " ") != want {
		t.Errorf("order: %v, want %s", got, want)
	}
	if c.Now() != start.Add(5*time.Second) {
		t.Errorf("Now %v", c.Now())
	}
	if c.Pending() != 1 || !stop() || stop() || c.Pending() != 0 {
		t.Errorf("stop: pending %d", c.Pending())
	}
	c.Advance(time.Hour)
	if strings.Contains(strings.Join(got, " "), "never") {
		t.Error("a stopped timer ran")
	}
}
