package store_test

import (
	"context"
	"errors"
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

// TestMemoryFirstFailedCondition checks that the memory store, which checks
// absent-conditions on keys it writes by inserting them, still reports the
// first failed condition in the given order and writes nothing.
func TestMemoryFirstFailedCondition(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := store.NewMemory()
	defer m.Close()
	if _, err := m.Txn(ctx, nil, []store.Op{store.Put("a", []byte("1")), store.Put("b", []byte("2"))}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		conds []store.Cond
		want  string
	}{
		{"inserted key first", []store.Cond{store.Absent("c"), store.Absent("a"), store.Unchanged("b", 99)}, "a"},
		{"checked key first", []store.Cond{store.Absent("c"), store.Unchanged("b", 99), store.Absent("a")}, "b"},
	}
	for _, tt := range tests {
		_, err := m.Txn(ctx, tt.conds, []store.Op{store.Put("a", nil), store.Put("c", nil)})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Cond.Key != tt.want {
			t.Errorf("%s: err = %v, want a conflict on %q", tt.name, err, tt.want)
		}
		if _, err := m.Get(ctx, "c"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: key c was written by a failed transaction", tt.name)
		}
	}
}
