package sim

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

//go:embed testdata/ncclient_junos.py
var ncclientScript []byte

const systemPython = "/usr/bin/python3"

// TestNcclientJunos drives the device with an independent client nobody
// here wrote: Debian's python3-ncclient with its Junos device handler.
func TestNcclientJunos(t *testing.T) {
	if err := exec.Command(systemPython, "-c", "import ncclient").Run(); err != nil {
		t.Fatalf("python3-ncclient is required (apt-get install python3-ncclient): %v", err)
	}
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	script := filepath.Join(t.TempDir(), "ncclient_junos.py")
	if err := os.WriteFile(script, ncclientScript, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, systemPython, script, d.Addr().Addr().String(), strconv.Itoa(int(d.Addr().Port())), testUser, testPass)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var result string
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "WAIT-CONFIRM" {
			clk.Advance(time.Minute)
			stdin.Write([]byte("go\n"))
			continue
		}
		result = line
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ncclient script: %v\n%s", err, stderr.String())
	}
	var got struct {
		SessionID            int  `json:"session_id"`
		Base11               bool `json:"base11"`
		Facts                map[string]string
		CommittedAfterCommit bool `json:"committed_after_commit"`
		CheckError           *struct {
			Message, Path string
			Count         int
		} `json:"check_error"`
		ConfirmedApplied    bool   `json:"confirmed_applied"`
		ConfirmedRolledBack bool   `json:"confirmed_rolled_back"`
		LockedLoadError     string `json:"locked_load_error"`
		SecondLock          string `json:"second_lock"`
		Compare             string
	}
	if err := json.Unmarshal([]byte(result), &got); err != nil {
		t.Fatalf("script output %q: %v\n%s", result, err, stderr.String())
	}
	if got.SessionID == 0 || !got.Base11 {
		t.Errorf("session: id=%d base11=%v", got.SessionID, got.Base11)
	}
	want := map[string]string{"hostname": "pe1", "model": "mx480", "version": "23.4R2.13", "serial": d.Serial()}
	for k, v := range want {
		if got.Facts[k] != v {
			t.Errorf("fact %s = %q, want %q", k, got.Facts[k], v)
		}
	}
	if !got.CommittedAfterCommit {
		t.Error("load + commit: change not in committed configuration")
	}
	if got.CheckError == nil || got.CheckError.Path != "[edit protocols mpls label-switched-path broken]" ||
		!strings.Contains(got.CheckError.Message, "needs a destination") || got.CheckError.Count != 2 {
		t.Errorf("commit check failure: %+v", got.CheckError)
	}
	if !got.ConfirmedApplied || !got.ConfirmedRolledBack {
		t.Errorf("confirmed commit: applied=%v rolled back=%v", got.ConfirmedApplied, got.ConfirmedRolledBack)
	}
	if !strings.Contains(got.LockedLoadError, "configuration database locked by") {
		t.Errorf("load while locked: %q", got.LockedLoadError)
	}
	if !strings.Contains(got.SecondLock, "locked by") {
		t.Errorf("second lock: %q", got.SecondLock)
	}
	if !strings.Contains(got.Compare, "[edit system]") || !strings.Contains(got.Compare, "+   domain-name cmp.example;") {
		t.Errorf("compare: %q", got.Compare)
	}
}
