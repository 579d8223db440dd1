package netconf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		id      string
		ok      bool
		issues  []device.Issue
		wantErr string
	}{
		{name: "ok", raw: `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="7"><ok/></rpc-reply>`, id: "7", ok: true},
		{name: "nc prefix (rfc-compliant)", raw: `<nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="8"><nc:ok/></nc:rpc-reply>`, id: "8", ok: true},
		{name: "nested load errors", id: "9",
			raw: `<rpc-reply message-id="9"><load-configuration-results><rpc-error><error-severity>warning</error-severity><error-path>[edit interfaces vme]</error-path><error-message>
statement not found: description
</error-message></rpc-error><rpc-error><error-type>protocol</error-type><error-tag>operation-failed</error-tag><error-severity>error</error-severity><error-message>
syntax error
</error-message><error-info><bad-element>speed</bad-element></error-info></rpc-error><load-error-count>1</load-error-count></load-configuration-results></rpc-reply>`,
			issues: []device.Issue{
				{Severity: "warning", Path: "[edit interfaces vme]", Message: "statement not found: description"},
				{Severity: "error", Tag: "operation-failed", Element: "speed", Message: "syntax error"},
			}},
		{name: "ok with a warning (Junos default mode)", id: "10", ok: true,
			raw:    `<rpc-reply message-id="10"><rpc-error><error-severity>warning</error-severity><error-message>w</error-message></rpc-error><ok/></rpc-reply>`,
			issues: []device.Issue{{Severity: "warning", Message: "w"}}},
		{name: "wrong root", raw: `<hello/>`, wantErr: "root element <hello>"},
		{name: "not xml", raw: `<rpc-reply><ok></rpc-reply>`, wantErr: "malformed reply"},
		{name: "empty", raw: ``, wantErr: "no <rpc-reply>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := parseReply([]byte(tt.raw))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.messageID != tt.id || r.ok != tt.ok {
				t.Fatalf("id %q ok %v, want %q %v", r.messageID, r.ok, tt.id, tt.ok)
			}
			if diff := cmp.Diff(tt.issues, r.issues); diff != "" {
				t.Fatalf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplyChildren(t *testing.T) {
	r, err := parseReply([]byte(`<rpc-reply message-id="1"><configuration-information><configuration-output>
[edit]
+  a &amp; b
</configuration-output></configuration-information><configuration a="1"><x/></configuration></rpc-reply>`))
	if err != nil {
		t.Fatal(err)
	}
	if txt, ok := r.childText("configuration-output"); !ok || txt != "\n[edit]\n+  a & b\n" {
		t.Fatalf("childText = %q, %v", txt, ok)
	}
	if x, ok := r.childXML("configuration"); !ok || string(x) != `<configuration a="1"><x/></configuration>` {
		t.Fatalf("childXML = %q, %v", x, ok)
	}
	if _, ok := r.childText("missing"); ok {
		t.Fatal("found a missing element")
	}
}

func TestCheckElement(t *testing.T) {
	for in, ok := range map[string]bool{
		"<get-software-information/>":                                       true,
		" <get-interface-information><terse/></get-interface-information> ": true,
		"<a/><b/>":                  false,
		"text<a/>":                  false,
		"<a>":                       false,
		"":                          false,
		`<?xml version="1.0"?><a/>`: false,
	} {
		if err := checkElement(in); (err == nil) != ok {
			t.Errorf("checkElement(%q) = %v, want ok=%v", in, err, ok)
		}
	}
}

func FuzzParseReply(f *testing.F) {
	f.Add(`<rpc-reply message-id="1"><ok/></rpc-reply>`)
	f.Add(`<rpc-reply message-id="2"><commit-results><rpc-error><error-message>x</error-message></rpc-error></commit-results></rpc-reply>`)
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := parseReply([]byte(raw))
		if err != nil {
			return
		}
		if !strings.Contains(raw, string(r.inner)) {
			t.Fatalf("inner %q is not part of the reply", r.inner)
		}
		for _, i := range r.issues {
			if i.Severity == "" {
				t.Fatal("issue without severity")
			}
		}
	})
}
