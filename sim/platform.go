package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// Platform is the personality of one Juniper model: names, software, the
// configuration family it accepts, its front-panel ports and its hardware
// inventory. Platforms are immutable lookup values; never modify one.
type Platform struct {
	Model       string           // model key as used in Options.Platform, e.g. "mx480"
	Series      string           // "ACX", "MX", "PTX", "SRX" or "NFX"
	ProductName string           // product-name in show version, e.g. "mx480"
	ChassisName string           // chassis description in show chassis hardware, e.g. "MX480"
	Family      junosconf.Family // configuration family the model accepts
	Version     string           // Junos release string, e.g. "23.4R2.13"
	OSName      string           // os-name in get-system-information, e.g. "junos"
	Mgmt        string           // management interface, e.g. "fxp0" or "em0"
	RE          RoutingEngine    // the routing engine in slot 0
	FPCs        []FPC            // line cards and their PICs, in slot order
}

// RoutingEngine describes the routing engine of a platform.
type RoutingEngine struct {
	Description string // e.g. "RE-S-1800x4"
	PartNumber  string
	MemoryMB    int // DRAM in megabytes
	CPUModel    string
}

// FPC is one flexible PIC concentrator (line card) slot.
type FPC struct {
	Slot        int
	Description string // e.g. "MPC7E 3D 40XGE"
	PartNumber  string
	PICs        []PIC
}

// PIC is one physical interface card with a run of identical ports.
type PIC struct {
	Slot        int
	Description string // e.g. "10x10GE SFPP"
	Prefix      string // interface prefix: "ge", "xe" or "et"
	First       int    // first port number (usually 0)
	Ports       int    // number of ports
	SpeedMbps   int    // port speed in Mb/s
}

// platforms is the immutable table of personalities, in display order.
var platforms = []*Platform{
	{Model: "acx2100", Series: "ACX", ProductName: "acx2100", ChassisName: "ACX2100", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "fxp0",
		RE: RoutingEngine{"ACX2100", "750-045404", 2048, "Freescale P2041"},
		FPCs: []FPC{{0, "FPC BUILTIN", "BUILTIN", []PIC{
			{0, "4x 1GE(LAN) RJ45/SFP, 8x 1GE(LAN) SFP", "ge", 0, 12, 1000},
			{1, "2x 10GE(LAN/WAN) SFP+", "xe", 0, 2, 10000}}}}},
	{Model: "acx5448", Series: "ACX", ProductName: "acx5448", ChassisName: "ACX5448", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "em0",
		RE: RoutingEngine{"ACX5448-RE", "750-088522", 32768, "Intel(R) Xeon(R) CPU D-1527"},
		FPCs: []FPC{{0, "ACX5448", "BUILTIN", []PIC{
			{0, "48x10G-4x100G", "xe", 0, 48, 10000},
			{1, "4x100G QSFP28", "et", 48, 4, 100000}}}}},
	{Model: "acx710", Series: "ACX", ProductName: "acx710", ChassisName: "ACX710", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "em0",
		RE: RoutingEngine{"ACX710-RE", "750-108244", 16384, "Intel(R) Atom(TM) CPU C3558"},
		FPCs: []FPC{{0, "ACX710", "BUILTIN", []PIC{
			{0, "24x10G-4x100G", "xe", 0, 24, 10000},
			{0, "24x10G-4x100G", "et", 24, 4, 100000}}}}},
	{Model: "mx204", Series: "MX", ProductName: "mx204", ChassisName: "JNP204 [MX204]", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "fxp0",
		RE: RoutingEngine{"RE-S-1600x8", "750-069579", 32768, "Intel(R) Xeon(R) CPU D-1548"},
		FPCs: []FPC{{0, "MPC7E 3D MRATE-12xQSFPP-XGE-XLGE-CGE", "750-074698", []PIC{
			{0, "MRATE-4xQSFPP-XGE-XLGE-CGE", "et", 0, 4, 100000},
			{1, "MRATE-8xSFPP-XGE", "xe", 0, 8, 10000}}}}},
	{Model: "mx480", Series: "MX", ProductName: "mx480", ChassisName: "MX480", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "fxp0",
		RE: RoutingEngine{"RE-S-1800x4", "740-031116", 16384, "Intel(R) Core(TM) i7 CPU"},
		FPCs: []FPC{
			{0, "MPC7E 3D 40XGE", "750-056519", []PIC{
				{0, "10XGE SFPP", "xe", 0, 10, 10000}, {1, "10XGE SFPP", "xe", 0, 10, 10000}}},
			{1, "MPC 3D 20x 1GE(LAN) SFP", "750-031087", []PIC{
				{0, "10x 1GE(LAN) SFP", "ge", 0, 10, 1000}, {1, "10x 1GE(LAN) SFP", "ge", 0, 10, 1000}}}}},
	{Model: "mx960", Series: "MX", ProductName: "mx960", ChassisName: "MX960", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "fxp0",
		RE: RoutingEngine{"RE-S-X6-64G", "750-067158", 65536, "Intel(R) Xeon(R) CPU E5-2608L"},
		FPCs: []FPC{
			{0, "MPC7E 3D MRATE-12xQSFPP-XGE-XLGE-CGE", "750-056519", []PIC{
				{0, "MRATE-6xQSFPP-XGE-XLGE-CGE", "et", 0, 6, 100000}, {1, "MRATE-6xQSFPP-XGE-XLGE-CGE", "et", 0, 6, 100000}}},
			{1, "MPC 3D 16x 10GE", "750-028467", []PIC{
				{0, "4x 10GE(LAN) SFP+", "xe", 0, 4, 10000}, {1, "4x 10GE(LAN) SFP+", "xe", 0, 4, 10000},
				{2, "4x 10GE(LAN) SFP+", "xe", 0, 4, 10000}, {3, "4x 10GE(LAN) SFP+", "xe", 0, 4, 10000}}},
			{2, "MPC 3D 40x 1GE(LAN) SFP", "750-031087", []PIC{
				{0, "10x 1GE(LAN) SFP", "ge", 0, 10, 1000}, {1, "10x 1GE(LAN) SFP", "ge", 0, 10, 1000}}}}},
	{Model: "ptx10003", Series: "PTX", ProductName: "ptx10003-160c", ChassisName: "PTX10003-160C", Family: junosconf.FamilyJunos,
		Version: "23.4R2.13", OSName: "junos", Mgmt: "em0",
		RE: RoutingEngine{"RE-PTX10003", "750-103311", 65536, "Intel(R) Xeon(R) CPU D-1559"},
		FPCs: []FPC{
			{0, "FPC-PTX10003-80C", "750-092397", []PIC{{0, "8xQSFP28-MACSEC", "et", 0, 8, 100000}}},
			{1, "FPC-PTX10003-80C", "750-092397", []PIC{{0, "8xQSFP28-MACSEC", "et", 0, 8, 100000}}}}},
	{Model: "srx345", Series: "SRX", ProductName: "srx345", ChassisName: "SRX345", Family: junosconf.FamilyES,
		Version: "23.4R2.13", OSName: "junos-es", Mgmt: "fxp0",
		RE: RoutingEngine{"RE-SRX345", "650-065041", 4096, "Octeon III CN7020"},
		FPCs: []FPC{{0, "FPC", "BUILTIN", []PIC{
			{0, "8xGE,8xGE SFP Base PIC", "ge", 0, 16, 1000}}}}},
	{Model: "vsrx", Series: "SRX", ProductName: "vsrx", ChassisName: "VSRX", Family: junosconf.FamilyES,
		Version: "23.4R2.13", OSName: "junos-es", Mgmt: "fxp0",
		RE: RoutingEngine{"VSRX RE", "BUILTIN", 4096, "Intel(R) Xeon(R) CPU (virtual)"},
		FPCs: []FPC{{0, "Virtual FPC", "BUILTIN", []PIC{
			{0, "VSRX DPDK GE", "ge", 0, 8, 1000}}}}},
	{Model: "nfx250", Series: "NFX", ProductName: "nfx250_s2_10_t", ChassisName: "NFX250", Family: junosconf.FamilyNFX,
		Version: "23.4R2.13", OSName: "junos-nfx", Mgmt: "fxp0",
		RE: RoutingEngine{"NFX250-S2", "650-066184", 32768, "Intel(R) Xeon(R) CPU D-1528"},
		FPCs: []FPC{{0, "FPC", "BUILTIN", []PIC{
			{0, "10x1GE-RJ45, 2x1GE-SFP", "ge", 0, 12, 1000},
			{0, "2x10GE-SFP+", "xe", 12, 2, 10000}}}}},
}

// Platforms returns every known platform in a fixed order (ACX, MX, PTX,
// SRX, NFX). The returned Platforms are shared and must not be modified.
func Platforms() []*Platform { return slices.Clone(platforms) }

// LookupPlatform returns the platform for a model key such as "mx480"
// (case-insensitive). An unknown model is an error that lists the known ones.
func LookupPlatform(model string) (*Platform, error) {
	m := strings.ToLower(strings.TrimSpace(model))
	for _, p := range platforms {
		if p.Model == m {
			return p, nil
		}
	}
	known := make([]string, len(platforms))
	for i, p := range platforms {
		known[i] = p.Model
	}
	return nil, fmt.Errorf("sim: unknown platform %q (known: %s)", model, strings.Join(known, ", "))
}

// Port is one front-panel interface of a platform.
type Port struct {
	Name      string // e.g. "xe-0/1/3"
	SpeedMbps int
}

// Ports lists the platform's physical interfaces in FPC/PIC/port order.
func (p *Platform) Ports() []Port {
	var out []Port
	for _, f := range p.FPCs {
		for _, pic := range f.PICs {
			for i := 0; i < pic.Ports; i++ {
				out = append(out, Port{fmt.Sprintf("%s-%d/%d/%d", pic.Prefix, f.Slot, pic.Slot, pic.First+i), pic.SpeedMbps})
			}
		}
	}
	return out
}

// serialFor derives a stable serial number from a salt (usually the
// hostname) and a component name, with a Juniper-looking prefix.
func serialFor(prefix, hostname, component string) string {
	h := sha256.Sum256([]byte("carrierkit-sim-serial\x00" + hostname + "\x00" + component))
	const alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
	var b strings.Builder
	b.WriteString(prefix)
	v := binary.BigEndian.Uint64(h[:8])
	for b.Len() < 12 {
		b.WriteByte(alphabet[v%uint64(len(alphabet))])
		v /= uint64(len(alphabet))
	}
	return b.String()
}

// chassisSerial is the chassis serial: Options.Serial, or derived from hostname.
func chassisSerial(p *Platform, hostname, override string) string {
	if override != "" {
		return override
	}
	prefix := map[string]string{"ACX": "AC", "MX": "JN", "PTX": "DX", "SRX": "CV", "NFX": "WS"}[p.Series]
	return serialFor(prefix, hostname, "chassis")
}
