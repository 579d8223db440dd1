package junosconf

import (
	"os"
	"testing"
)

func TestSmoke(t *testing.T) {
	b, _ := os.ReadFile("testdata/mx.conf")
	tr, err := Parse(FormatText, b, FamilyJunos)
	if err != nil {
		t.Fatal(err)
	}
	if string(tr.Text()) != string(b) {
		os.WriteFile("/tmp/out.conf", tr.Text(), 0o644)
		t.Errorf("text differs")
	}
	t.Log(string(tr.SetLines()))
	os.WriteFile("/tmp/out.xml", tr.XML(), 0o644)
}
