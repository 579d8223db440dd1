package junosconf

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// genSet returns set lines for a PE with n customer units (about 10 lines
// per unit: interface, l2circuit, routing instance).
func genSet(n int) string {
	var b strings.Builder
	b.WriteString("set system host-name pe1\nset routing-options router-id 192.0.2.1\nset routing-options autonomous-system 65000\n")
	b.WriteString("set interfaces lo0 unit 0 family inet address 192.0.2.1/32\nset protocols ldp interface lo0.0\n")
	for i := range n {
		ifd := fmt.Sprintf("ge-%d/%d/%d", i/400, (i/40)%10, (i/4)%10)
		unit := 100 + i%4*100 + i/4000
		vlan := 2 + i%4000
		fmt.Fprintf(&b, "set interfaces %s flexible-vlan-tagging\n", ifd)
		fmt.Fprintf(&b, "set interfaces %s unit %d description \"customer %d E-LINE\"\n", ifd, unit, i)
		fmt.Fprintf(&b, "set interfaces %s unit %d encapsulation vlan-ccc\n", ifd, unit)
		fmt.Fprintf(&b, "set interfaces %s unit %d vlan-id %d\n", ifd, unit, vlan)
		if i%2 == 0 {
			fmt.Fprintf(&b, "set protocols l2circuit neighbor 192.0.2.%d interface %s.%d virtual-circuit-id %d\n", 2+i%200, ifd, unit, 1000+i)
			fmt.Fprintf(&b, "set protocols l2circuit neighbor 192.0.2.%d interface %s.%d no-control-word\n", 2+i%200, ifd, unit)
		} else {
			fmt.Fprintf(&b, "set routing-instances VRF-%d instance-type vrf\n", i)
			fmt.Fprintf(&b, "set routing-instances VRF-%d interface %s.%d\n", i, ifd, unit)
			fmt.Fprintf(&b, "set routing-instances VRF-%d route-distinguisher 192.0.2.1:%d\n", i, i)
			fmt.Fprintf(&b, "set routing-instances VRF-%d vrf-target target:65000:%d\n", i, i)
		}
	}
	return b.String()
}

func genTree(b testing.TB, n int) *Tree {
	t, err := Parse(FormatSet, []byte(genSet(n)), FamilyJunos)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// big is a configuration of about 10,000 set lines.
const bigUnits = 1700

func lineCount(p []byte) int { return strings.Count(string(p), "\n") }

func BenchmarkParseSet10k(b *testing.B) {
	in := []byte(genSet(bigUnits))
	b.ReportMetric(float64(lineCount(in)), "lines")
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Parse(FormatSet, in, FamilyJunos); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseText10k(b *testing.B) {
	in := genTree(b, bigUnits).Text()
	b.ReportMetric(float64(lineCount(in)), "lines")
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Parse(FormatText, in, FamilyJunos); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseXML10k(b *testing.B) {
	in := genTree(b, bigUnits).XML()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Parse(FormatXML, in, FamilyJunos); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrintText10k(b *testing.B) {
	t := genTree(b, bigUnits)
	for b.Loop() {
		_ = t.Text()
	}
}

func BenchmarkPrintSet10k(b *testing.B) {
	t := genTree(b, bigUnits)
	for b.Loop() {
		_ = t.SetLines()
	}
}

func BenchmarkPrintXML10k(b *testing.B) {
	t := genTree(b, bigUnits)
	for b.Loop() {
		_ = t.XML()
	}
}

// BenchmarkLoadSmallChange is what a simulated device does per edit RPC:
// clone the configuration and merge a small change into it.
func BenchmarkLoadSmallChange(b *testing.B) {
	base := genTree(b, bigUnits)
	change := []byte(`interfaces { ge-3/9/9 { unit 777 { description "new service"; encapsulation vlan-ccc; vlan-id 777; } } }
protocols { l2circuit { neighbor 192.0.2.99 { interface ge-3/9/9.777 { virtual-circuit-id 99777; } } } }`)
	for b.Loop() {
		c := base.Clone()
		if err := c.Load(ActionMerge, FormatText, change, FamilyJunos); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiffSmallChange(b *testing.B) {
	base := genTree(b, bigUnits)
	c := base.Clone()
	if err := c.Set("interfaces ge-0/0/1 unit 100 description changed", FamilyJunos); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = Diff(base, c)
	}
}

func BenchmarkCheck10k(b *testing.B) {
	t := genTree(b, bigUnits)
	for b.Loop() {
		_ = Check(t, FamilyJunos)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkDeviceMemory reports the heap one device's committed
// configuration of about 200 lines holds, and what each rollback entry
// (a clone plus one small change) adds.
func BenchmarkDeviceMemory(b *testing.B) {
	const devices = 1000
	in := []byte(genSet(20))
	for b.Loop() {
		before := heapInUse()
		trees := make([]*Tree, devices)
		for i := range trees {
			t, err := Parse(FormatSet, in, FamilyJunos)
			if err != nil {
				b.Fatal(err)
			}
			trees[i] = t
		}
		mid := heapInUse()
		hist := make([][]*Tree, devices)
		for i, t := range trees {
			cur := t
			for j := range 10 {
				c := cur.Clone()
				if err := c.Set(fmt.Sprintf("interfaces ge-0/0/%d unit %d description rev-%d", j%5, 100, j), FamilyJunos); err != nil {
					b.Fatal(err)
				}
				hist[i] = append(hist[i], c)
				cur = c
			}
		}
		after := heapInUse()
		b.ReportMetric(float64(lineCount(trees[0].SetLines())), "lines/device")
		b.ReportMetric(float64(mid-before)/devices, "bytes/device")
		b.ReportMetric(float64(after-mid)/devices/10, "bytes/history-entry")
		runtime.KeepAlive(trees)
		runtime.KeepAlive(hist)
	}
}
