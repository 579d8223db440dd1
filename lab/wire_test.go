package lab

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// A message larger than one frame (a big configuration) is split into
// chunks and put together again, whatever order they arrive in; a repeated
// chunk is harmless and a foreign frame is refused.
func TestEncodeReassemble(t *testing.T) {
	var cfg strings.Builder
	rng := rand.New(rand.NewPCG(1, 2))
	for cfg.Len() < 200_000 {
		cfg.WriteString("set interfaces ge-0/0/")
		cfg.WriteString(strings.Repeat(string(rune('a'+rng.IntN(26))), rng.IntN(40)))
		cfg.WriteString("\n")
	}
	m := &message{Kind: "lsa", From: "pe1", LSA: &lsa{Origin: "pe1", Seq: 7, Config: cfg.String(),
		Adj: []adjacency{{Iface: "eth1", Neighbor: "p1", NbrIface: "eth1"}}}}
	frames, err := encode(m, 42)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) < 2 {
		t.Fatalf("%d frames, want several for %d bytes", len(frames), cfg.Len())
	}
	for _, f := range frames {
		if len(f) > maxChunk+chunkHeader {
			t.Fatalf("frame of %d bytes exceeds the chunk size", len(f))
		}
	}
	var r reassembler
	if _, err := r.add([]byte("not ours at all")); err == nil {
		t.Error("foreign frame accepted")
	}
	order := rng.Perm(len(frames))
	var got *message
	for i, k := range order {
		out, err := r.add(frames[k])
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := r.add(frames[k]); err != nil { // duplicate
				t.Fatal(err)
			}
		}
		if out != nil {
			if i != len(order)-1 {
				t.Fatalf("complete after %d of %d chunks", i+1, len(order))
			}
			got = out
		}
	}
	if got == nil || got.LSA.Config != cfg.String() || got.LSA.Seq != 7 || got.LSA.Adj[0].Neighbor != "p1" {
		t.Fatalf("reassembled message differs: %+v", got)
	}
	// A hello is small: one plain frame.
	h := &message{Kind: "hello", From: "pe1", Iface: "eth1", Seqs: map[string]uint64{"pe1": 1, "p1": 2}}
	frames, err = encode(h, 43)
	if err != nil || len(frames) != 1 || frames[0][11]&flagGzip != 0 {
		t.Fatalf("hello: %d frames, %v", len(frames), err)
	}
	if got, err := r.add(frames[0]); err != nil || got == nil || got.Seqs["p1"] != 2 {
		t.Fatalf("hello back: %+v %v", got, err)
	}
}
