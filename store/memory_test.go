package store_test

import (
	"strconv"
	"testing"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return store.NewMemory() })
}

// BenchmarkMemoryTxn measures transactions of 4 puts with 4 Absent
// conditions on new keys, from 1 and from 64 goroutines.
func BenchmarkMemoryTxn(b *testing.B) {
	for _, goroutines := range []int{1, 64} {
		b.Run("goroutines="+strconv.Itoa(goroutines), func(b *testing.B) {
			s := store.NewMemory()
			defer s.Close()
			storetest.BenchTxn(b, s, goroutines)
		})
	}
}

func TestMemoryNotFoundMessage(t *testing.T) {
	_, err := store.NewMemory().Get(t.Context(), "vlan/\"7\"")
	if want := `store: get "vlan/\"7\"": not found`; err == nil || err.Error() != want {
		t.Errorf("Get error = %v, want %s", err, want)
	}
}
